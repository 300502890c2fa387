// Lets a child process started by an integration test load this library's TypeScript sources, compiled by swc the
// way jest compiles them (node -r ./swc-register.js child.ts). Only .ts files are touched.
'use strict';
const { transformFileSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformFileSync(filename, {
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
