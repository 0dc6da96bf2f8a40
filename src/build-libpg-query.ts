// esbuild plugin: embeds libpg-query's WASM parser in the bundle. libpg-query loads `libpg-query.wasm` from the
// directory of its own script at run time, which after bundling would be build/ (and hosts get no node_modules).
// The plugin stands in for `./libpg-query.js` (the Emscripten factory) as libpg-query's index requires it, and hands
// the factory an `instantiateWasm` hook that instantiates the embedded bytes instead of reading a file.
import type { Plugin } from 'esbuild';

const NAMESPACE = 'libpg-query-embedded-wasm';

export const embedLibpgQueryWasm: Plugin = {
  name: 'embed-libpg-query-wasm',
  setup(build) {
    build.onResolve({ filter: /^\.\/libpg-query\.js$/ }, (args) => {
      if (!/[\\/]libpg-query[\\/]wasm[\\/]index\.cjs$/.test(args.importer)) return undefined;
      // A path of no directory: it names the module in the bundle, which must not depend on where the checkout is
      // (the staleness test compares bundles built in different checkouts). The real directory travels aside.
      return { path: 'libpg-query.js', namespace: NAMESPACE, pluginData: { resolveDir: args.resolveDir } };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      resolveDir: (args.pluginData as { resolveDir: string }).resolveDir,
      loader: 'js',
      contents: `'use strict';
const factory = require('./libpg-query.js');
const wasmBytes = require('./libpg-query.wasm');
module.exports = function embeddedPgQueryModule(moduleArg) {
  return factory(Object.assign({}, moduleArg, {
    instantiateWasm(imports, receiveInstance) {
      WebAssembly.instantiate(wasmBytes, imports).then((result) => receiveInstance(result.instance));
      return {};
    },
  }));
};
module.exports.default = module.exports;
`,
    }));
  },
};
