// innodb_history_length (MySQL/MariaDB): undo records not yet purged. It grows while a long-open read view (a
// transaction or a consistent snapshot left open) keeps purge from removing old row versions, and every read then
// walks longer version chains.
import type { HealthConfig } from '../../core/health-config';
import type { CheckDetail, CheckResult, DatabaseReport } from '../../core/report';
import { gradeAbove } from '../../core/status';
import { fold, mysqlDatabases, nothingToGrade, unavailable } from './common';

export function innodbHistoryCheck(databases: readonly DatabaseReport[], config: HealthConfig): CheckResult {
  const name = 'innodb_history_length';
  const none = nothingToGrade(name, databases, ['mysql'], 'MySQL/MariaDB');
  if (none !== null) return none;
  const details: CheckDetail[] = mysqlDatabases(databases).map((db) => {
    const length = db.health?.history_length;
    if (length === undefined) return unavailable(db.name,
      db.health?.unavailable.MY_INNODB_METRICS ?? db.health?.unavailable.MY_HEALTH_STATUS);
    const status = gradeAbove(length, config.innodb_history_length.warning, config.innodb_history_length.critical);
    return {
      subject: db.name, status, value: length,
      message: `${db.name}: InnoDB history list length ${length}`
        + `${status === 'ok' ? '' : ' (purge is held back: look for old transactions in information_schema.INNODB_TRX)'}`,
    };
  });
  return fold(name, '', config.innodb_history_length, details);
}
