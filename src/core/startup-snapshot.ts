// What a db_check bundle being built into a V8 startup snapshot (src/sources/startup-snapshot.ts) and the bundle's
// runMain (src/cli/common.ts) agree on: the loader (src/build-code-cache.ts) puts Node's `v8.startupSnapshot` under
// this global symbol before it evaluates the bundle, and runMain then defers the command's main to the processes
// that start from the snapshot.

/** Symbol.for(STARTUP_SNAPSHOT_KEY): where the snapshot build hands the bundle `v8.startupSnapshot`. */
export const STARTUP_SNAPSHOT_KEY = 'db_sentinel.startupSnapshot';

/**
 * A command started from its snapshot exits with this plus its own code (20-23 for db_check's 0-3): its launcher
 * (build/db_check.sh) then tells them from node's own exit when the blob cannot be loaded, which happens before any
 * of the command runs and which Node 18 reports with exit status 1, db_check's WARNING (a blob built with other V8
 * flags: NODE_OPTIONS=--max-old-space-size=..., or another CPU).
 */
export const SNAPSHOT_EXIT_OFFSET = 20;

/** The part of `v8.startupSnapshot` (Node >= 18.6) that runMain uses. */
export interface StartupSnapshotApi {
  setDeserializeMainFunction(main: () => void): void;
}
