// Entry point of `db_beacon` (build/db_beacon.js); filled by its own issue.
import { runMain, UsageError } from './common';

runMain('db_beacon', async () => {
  throw new UsageError('db_beacon is not implemented yet');
});
