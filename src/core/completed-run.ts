// What the cron bundles' loader (src/build-code-cache.ts) and runMain (src/cli/common.ts) agree on: runMain sets
// globalThis[Symbol.for(COMPLETED_RUN_KEY)] once a command's main has returned its exit code, and the loader writes
// V8's code cache at exit only after such a run. A cache holds the functions its run compiled: one written by
// --help, --version, --build-snapshot or a failed run would leave every later run compiling the rest.

/** Symbol.for(COMPLETED_RUN_KEY) on globalThis: true once the command's main has returned its exit code. */
export const COMPLETED_RUN_KEY = 'db_sentinel.completedRun';
