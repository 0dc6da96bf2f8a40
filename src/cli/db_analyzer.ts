// Entry point of `db_analyzer` (build/db_analyzer.js); filled by its own issue.
import { runMain, UsageError } from './common';

runMain('db_analyzer', async () => {
  throw new UsageError('db_analyzer is not implemented yet');
});
