// wraparound (PostgreSQL): the oldest age(datfrozenxid) or mxid_age(datminmxid) of the cluster's databases against
// the thresholds, with its share of the 2^31 limit and its multiple of autovacuum_freeze_max_age, naming the oldest
// database and the tables of the connected database that hold it back.
import type { HealthConfig } from '../../core/health-config';
import { XID_WRAPAROUND_LIMIT } from '../../core/health-report';
import type { CheckDetail, CheckResult, DatabaseReport } from '../../core/report';
import { gradeAbove } from '../../core/status';
import { fold, nothingToGrade, postgresDatabases, unavailable } from './common';

export function wraparoundCheck(databases: readonly DatabaseReport[], config: HealthConfig): CheckResult {
  const name = 'wraparound';
  const none = nothingToGrade(name, databases, ['postgresql'], 'PostgreSQL');
  if (none !== null) return none;
  const details: CheckDetail[] = [];
  for (const db of postgresDatabases(databases)) {
    const wraparound = db.health?.wraparound;
    const oldest = wraparound?.databases
      .map((item) => ({ ...item, age: Math.max(item.xid_age, item.mxid_age),
        kind: item.mxid_age > item.xid_age ? 'mxid_age(datminmxid)' : 'age(datfrozenxid)' }))
      .sort((a, b) => b.age - a.age)[0];
    if (wraparound === undefined || oldest === undefined) {
      details.push(unavailable(db.name, db.health?.unavailable.PG_WRAPAROUND));
      continue;
    }
    const freezeMax = oldest.kind === 'age(datfrozenxid)' ? wraparound.freeze_max_age : wraparound.multixact_freeze_max_age;
    const tables = wraparound.oldest_tables.slice(0, 3).map((table) => `${table.table} ${table.xid_age}`).join(', ');
    details.push({
      subject: db.name,
      status: gradeAbove(oldest.age, config.wraparound_age.warning, config.wraparound_age.critical),
      value: oldest.age,
      message: `${db.name}: oldest database ${oldest.database} ${oldest.kind} ${oldest.age} `
        + `(${(oldest.age / XID_WRAPAROUND_LIMIT * 100).toFixed(1)} % of 2^31, ${(oldest.age / freezeMax).toFixed(1)}x `
        + `autovacuum_${oldest.kind.startsWith('mxid') ? 'multixact_' : ''}freeze_max_age ${freezeMax})`
        + `${tables ? `; oldest tables here: ${tables}` : ''}`,
    });
  }
  return fold(name, '', config.wraparound_age, details);
}
