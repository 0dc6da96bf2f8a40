// SQL of the MySQL/MariaDB health checks, by flavor and version. Least privilege: PROCESS (INNODB_METRICS),
// SELECT statements carry the db_sentinel alias (digests keep aliases) so the slow-query lists leave them out.
// REPLICATION CLIENT on MySQL or SLAVE MONITOR on MariaDB 10.5+ (replica status), nothing for SHOW GLOBAL STATUS.

export const MY_HEALTH_SERVER = `SELECT 1 AS db_sentinel, VERSION() AS version, @@version_comment AS version_comment, `
  + `CURRENT_USER() AS user_name`;

export const MY_HEALTH_STATUS = `SHOW GLOBAL STATUS WHERE Variable_name IN ('Threads_running', 'Threads_connected',
  'Aborted_connects', 'Aborted_clients', 'Innodb_row_lock_waits', 'Innodb_deadlocks', 'Innodb_history_list_length')`;

/** InnoDB counters that need PROCESS: the history list length, and deadlocks on MySQL (no status variable there). */
export const MY_INNODB_METRICS = `SELECT 1 AS db_sentinel, NAME AS name, COUNT AS value FROM information_schema.INNODB_METRICS
  WHERE NAME IN ('trx_rseg_history_len', 'lock_deadlocks')`;

/** Every channel of a replica: MariaDB's multi-source form (10.0+), MySQL's new words from 8.0.22, the old before. */
export function myReplicaStatusSql(flavor: 'mysql' | 'mariadb', version: string): { name: string; sql: string } {
  if (flavor === 'mariadb') return { name: 'MY_ALL_SLAVES_STATUS', sql: 'SHOW ALL SLAVES STATUS' };
  const [major = 0, minor = 0, patch = 0] = version.split(/[.-]/).slice(0, 3).map(Number);
  const replicaWords = major > 8 || (major === 8 && (minor > 0 || patch >= 22));
  return replicaWords ? { name: 'MY_REPLICA_STATUS', sql: 'SHOW REPLICA STATUS' } : { name: 'MY_SLAVE_STATUS', sql: 'SHOW SLAVE STATUS' };
}

/** The privilege SHOW REPLICA/SLAVE STATUS needs, by flavor (MariaDB 10.5.9 split it out of REPLICATION CLIENT). */
export function replicaStatusGrant(flavor: 'mysql' | 'mariadb', grantee: string): string {
  return flavor === 'mariadb' ? `GRANT SLAVE MONITOR ON *.* TO ${grantee};` : `GRANT REPLICATION CLIENT ON *.* TO ${grantee};`;
}
