// Entry point of `db_check` (build/db_check.js); filled by the foundation issue.
import { runMain, UsageError } from './common';

runMain('db_check', async () => {
  throw new UsageError('db_check is not implemented yet');
});
