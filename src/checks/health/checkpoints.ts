// checkpoints (PostgreSQL): requested checkpoints (WAL reached max_wal_size, or CHECKPOINT) over all checkpoints
// since the statistics were reset, from pg_stat_bgwriter (up to 16) or pg_stat_checkpointer (17). Checkpoints should
// be timed; mostly requested ones mean max_wal_size is too small for the write load. Fewer than checkpoints_min
// checkpoints say nothing yet.
import type { HealthConfig } from '../../core/health-config';
import type { CheckDetail, CheckResult, DatabaseReport } from '../../core/report';
import { gradeAbove } from '../../core/status';
import { fold, nothingToGrade, postgresDatabases, unavailable } from './common';

export function checkpointsCheck(databases: readonly DatabaseReport[], config: HealthConfig): CheckResult {
  const name = 'checkpoints';
  const none = nothingToGrade(name, databases, ['postgresql'], 'PostgreSQL');
  if (none !== null) return none;
  const details: CheckDetail[] = [];
  for (const db of postgresDatabases(databases)) {
    const checkpoints = db.health?.checkpoints;
    if (checkpoints === undefined) {
      details.push(unavailable(db.name,
        Object.entries(db.health?.unavailable ?? {}).find(([key]) => key.startsWith('PG_CHECKPOINTS'))?.[1]));
      continue;
    }
    const total = checkpoints.timed + checkpoints.requested;
    const counts = `${checkpoints.requested} requested, ${checkpoints.timed} timed (${checkpoints.source})`;
    if (total < config.checkpoints_min) {
      details.push({ subject: db.name, status: 'ok', value: null,
        message: `${db.name}: ${counts}: fewer than ${config.checkpoints_min} checkpoints, too few to judge` });
      continue;
    }
    const ratio = checkpoints.requested / total;
    const status = gradeAbove(ratio, config.checkpoints_requested_ratio.warning, config.checkpoints_requested_ratio.critical);
    details.push({
      subject: db.name, status, value: ratio,
      message: `${db.name}: ${(ratio * 100).toFixed(1)} % of checkpoints requested: ${counts}`
        + `${status === 'ok' ? '' : '; raise max_wal_size so that checkpoints come from checkpoint_timeout'}`,
    });
  }
  return fold(name, '', config.checkpoints_requested_ratio, details);
}
