// The comment every statement db_sentinel sends starts with: pg_stat_statements keeps leading comments, so the
// collector leaves its own statements out of the slow-query lists, and the server-log reader skips its own lines.
export const DB_SENTINEL_TAG = '/* db_sentinel */';
