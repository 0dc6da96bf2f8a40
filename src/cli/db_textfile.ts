// Entry point of `db_textfile` (build/db_textfile.js); filled by its own issue.
import { runMain, UsageError } from './common';

runMain('db_textfile', async () => {
  throw new UsageError('db_textfile is not implemented yet');
});
