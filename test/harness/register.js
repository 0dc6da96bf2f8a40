// Loads TypeScript sources in tests (ts-node, transpile only; `npm run typecheck` does the type checking) and
// embeds YAML data files as text, as the esbuild build does with its text loader.
'use strict';
const { readFileSync } = require('node:fs');

require('ts-node').register({ transpileOnly: true });
require.extensions['.yaml'] = (module, filename) => {
  module.exports = readFileSync(filename, 'utf8');
};
