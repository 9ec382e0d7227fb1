/** Jest runs TypeScript through SWC: ts-jest refuses TypeScript 7 (docs/ENVIRONMENT.md). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  testTimeout: 30_000,
};
// jose ships ES modules only: jest's CommonJS runtime needs them compiled (the node itself loads them
// with Node 20's require(esm)).
module.exports.transform['^.+/node_modules/jose/.+\\.js$'] = ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }];
module.exports.transformIgnorePatterns = ['/node_modules/(?!jose/)'];
