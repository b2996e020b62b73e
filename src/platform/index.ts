/** The platform layer (Node.js build); the browser bundle swaps ./node.ts for ./browser.ts. */
export * from './node';
