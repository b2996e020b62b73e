/** The platform layer (browser build): what scripts/build-browser.js bundles in place of ./index.ts. */
export * from './browser';
