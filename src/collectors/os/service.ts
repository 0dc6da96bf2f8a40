// service: `systemctl is-active` for the database units -> db_service. Units come from check.services or, when
// that is empty, from the loaded units matching the usual database names. Without systemd as PID 1 systemctl
// cannot answer: db_service is UNKNOWN with systemctl's own reason.
import { checkServices, serviceUnknown } from '../../checks/db-service';
import type { CheckCollector, CollectContext, CollectorMetrics } from '../collector';
import { CommandError, DbSentinelError } from '../../core/errors';
import type { CommandResult } from '../../sources/exec';
import { parseIsActive, parseListUnits, systemdUnavailableReason } from '../../parsers/os/systemctl';
import type { CheckCommandConfig } from '../../core/check-config';
import { runTool } from './tool';

/** The usual database units (Debian's postgresql umbrella and cluster units, MySQL, MariaDB). */
export const DEFAULT_UNIT_PATTERNS = [
  'postgresql.service', 'postgresql@*.service', 'mysql.service', 'mysqld.service', 'mariadb.service', 'mariadb@*.service',
];

/** systemctl's answer when systemd is not PID 1 (or its bus is down): the check's reason, not a failure. */
class SystemdUnavailable extends DbSentinelError {}

/** systemctl exits 1 when it cannot reach systemd; that answer, or any other failure, is told apart here. */
function checkAnswer(result: CommandResult, display: string): void {
  const reason = systemdUnavailableReason(result.stderr);
  if (reason !== null) throw new SystemdUnavailable(reason);
  if (result.exitCode === 1 && result.stdout.trim() === '') {
    const stderr = result.stderr.trim().split('\n')[0] ?? '';
    throw new CommandError('systemctl', 'exit_status', `${display}: exited with status 1${stderr ? `: ${stderr}` : ''}`);
  }
}

async function discoverUnits(context: CollectContext<CheckCommandConfig>): Promise<string[]> {
  const args = ['list-units', '--type=service', '--all', '--plain', '--no-legend', '--no-pager', ...DEFAULT_UNIT_PATTERNS];
  const result = await runTool(context, 'systemctl', args, 'plain', [1]);
  checkAnswer(result, 'systemctl list-units');
  const units = parseListUnits(result.stdout).filter((unit) => unit.load === 'loaded').map((unit) => unit.unit);
  return [...new Set(units)];
}

const serviceMetrics: CollectorMetrics = {
  families: { service_active: { help: '1 if the systemd unit is active, else 0.', labels: ['unit'] } },
  samples({ os }, sink) {
    for (const service of os.services ?? []) sink.set('service_active', { unit: service.unit }, service.state === 'active' ? 1 : 0);
  },
};

export const serviceCollector: CheckCollector = {
  metrics: serviceMetrics,
  name: 'service',
  checks: ['db_service'],
  async collect(context) {
    try {
      const configured = context.config.check.services;
      const units = configured.length > 0 ? configured : await discoverUnits(context);
      if (units.length === 0) {
        return {
          os: { services: [] },
          checks: [serviceUnknown(`no database service unit found (looked for ${DEFAULT_UNIT_PATTERNS.join(', ')}); ` +
            'list the units in check.services')],
        };
      }
      // is-active exits 0 when any unit is active, 3 when none is, 4 for a unit name it cannot resolve.
      const result = await runTool(context, 'systemctl', ['is-active', ...units], 'plain', [1, 3, 4]);
      checkAnswer(result, 'systemctl is-active');
      const services = parseIsActive(result.stdout, units);
      return { os: { services }, checks: [checkServices(services)] };
    } catch (error: unknown) {
      if (!(error instanceof SystemdUnavailable)) throw error;
      const units = context.config.check.services;
      return {
        os: { services: units.map((unit) => ({ unit, state: 'unknown' })) },
        checks: [serviceUnknown(`systemctl cannot answer: ${error.message}`)],
      };
    }
  },
};
