/**
 * `npm test` runs every `*.test.ts` except the long tutorial trainings named `*.slow.test.ts`;
 * `npm run test:slow` (TENSORGRAPH_SLOW_TESTS=1) runs exactly those. CI runs both.
 * @type {import('jest').Config}
 */
const slow = process.env.TENSORGRAPH_SLOW_TESTS === '1';
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: slow ? ['**/*.slow.test.ts'] : ['**/*.test.ts'],
  testPathIgnorePatterns: slow ? ['/node_modules/'] : ['/node_modules/', '\\.slow\\.test\\.ts$'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  testTimeout: 120000,
};
