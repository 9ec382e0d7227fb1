// Require hook for the kill -9 test's child process: compiles the project's TypeScript with SWC
// (the same settings as jest.config.js), so the child runs storage/ from source with no build step.
// Usage: node -r ./test/support/kill-nine-register.cjs test/support/kill-nine-writer.ts <args>
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
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
