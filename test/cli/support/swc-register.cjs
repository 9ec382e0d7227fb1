/**
 * A tiny require hook that runs the TypeScript sources directly (no build): each .ts file is
 * transpiled with @swc/core transformSync, the same settings as jest.config.js (legacy decorators
 * + decorator metadata, which type-graphql needs). Used as `node -r test/cli/support/swc-register.cjs
 * server/cli/main.ts …` by the CLI tests. @swc-node/register was not used: it reads tsconfig through
 * the `typescript` JS API, which TypeScript 7 (the native compiler) no longer ships.
 */
'use strict';
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
