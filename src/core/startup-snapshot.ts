// What a db_check bundle being built into a V8 startup snapshot (src/sources/startup-snapshot.ts) and the bundle's
// runMain (src/cli/common.ts) agree on: the loader (src/build-code-cache.ts) puts Node's `v8.startupSnapshot` under
// this global symbol before it evaluates the bundle, and runMain then defers the command's main to the processes
// that start from the snapshot.

/** Symbol.for(STARTUP_SNAPSHOT_KEY): where the snapshot build hands the bundle `v8.startupSnapshot`. */
export const STARTUP_SNAPSHOT_KEY = 'db_sentinel.startupSnapshot';

/** The part of `v8.startupSnapshot` (Node >= 18.6) that runMain uses. */
export interface StartupSnapshotApi {
  setDeserializeMainFunction(main: () => void): void;
}
