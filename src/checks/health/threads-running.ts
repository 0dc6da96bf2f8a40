// threads_running (MySQL/MariaDB): Threads_running minus the collector's own statement, per CPU of the host (the
// analyzer runs on the database host). More running threads than CPUs queue in the kernel or inside InnoDB.
import type { HealthConfig } from '../../core/health-config';
import type { CheckDetail, CheckResult, DatabaseReport } from '../../core/report';
import { gradeAbove } from '../../core/status';
import { fold, mysqlDatabases, nothingToGrade, unavailable } from './common';

export function threadsRunningCheck(databases: readonly DatabaseReport[], config: HealthConfig, cpuCount: number): CheckResult {
  const name = 'threads_running';
  const none = nothingToGrade(name, databases, ['mysql'], 'MySQL/MariaDB');
  if (none !== null) return none;
  const details: CheckDetail[] = mysqlDatabases(databases).map((db) => {
    const running = db.health?.threads_running;
    if (running === undefined) return unavailable(db.name, db.health?.unavailable.MY_HEALTH_STATUS);
    const others = Math.max(running - 1, 0);
    const perCpu = others / Math.max(cpuCount, 1);
    return {
      subject: db.name, status: gradeAbove(perCpu, config.threads_running_per_cpu.warning,
        config.threads_running_per_cpu.critical), value: perCpu,
      message: `${db.name}: ${perCpu.toFixed(2)} running threads per CPU (${others} besides this check on ${cpuCount} CPUs; `
        + `${db.health?.threads_connected ?? '?'} connected)`,
    };
  });
  return fold(name, '', config.threads_running_per_cpu, details);
}
