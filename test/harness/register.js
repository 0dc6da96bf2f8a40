// Loads TypeScript sources in tests (ts-node, transpile only; `npm run typecheck` does the type checking) and
// loads YAML data files as the data they hold, as the esbuild build embeds them (src/build.ts).
'use strict';
const { readFileSync } = require('node:fs');
const { load } = require('js-yaml');

require('ts-node').register({ transpileOnly: true });
require.extensions['.yaml'] = (module, filename) => {
  module.exports = load(readFileSync(filename, 'utf8'), { filename });
};
