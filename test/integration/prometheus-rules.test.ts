// The alert rules under Debian's promtool: they load and lint clean, their unit tests pass, every alert has a firing
// and a not-firing case, and every alert tells the on-call what to do.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PROMETHEUS_DIR, promtool, readAlertRules, readYaml } from '../harness/prometheus';

const RULE_FILES = readdirSync(join(PROMETHEUS_DIR, 'rules')).filter((f) => f.endsWith('.yml'))
  .map((f) => join(PROMETHEUS_DIR, 'rules', f));
const TEST_FILES = readdirSync(join(PROMETHEUS_DIR, 'tests')).filter((f) => f.endsWith('_test.yml'))
  .map((f) => join(PROMETHEUS_DIR, 'tests', f));

interface RuleTestFile {
  rule_files: string[];
  tests: { alert_rule_test?: { alertname: string; eval_time: string; exp_alerts?: unknown[] }[] }[];
}

const VERDICT_SEVERITY = '{{ if eq $value 2.0 }}critical{{ else }}warning{{ end }}';

// Alerts whose fix is the tuning profile name the one remediation command.
// The checks' alerts fire on the agent's verdict (db_sentinel_check_status), so a host's own thresholds apply.
const ON_VERDICT: Record<string, string> = {
  DbSentinelSwapInUse: 'swap', DbSentinelDiskAwaitHigh: 'disk_await', DbSentinelDiskUtilizationHigh: 'disk_util',
  DbSentinelRunQueueHigh: 'run_queue', DbSentinelConnectionsNearMax: 'db_connections', DbSentinelCriticalPlanFindings: 'plan_findings',
};
const REMEDIATED_BY_ORCHESTRATE = ['DbSentinelSwapInUse', 'DbSentinelDiskAwaitHigh', 'DbSentinelTuningDrift'];

describe('prometheus/rules with promtool', () => {
  const alerts = readAlertRules(RULE_FILES);
  const scratch = mkdtempSync(join(tmpdir(), 'db_sentinel-rules-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('has the alerts of the issue', () => {
    assert.deepEqual(alerts.map((a) => a.alert).sort(), [
      'DbSentinelAnalyzerDown', 'DbSentinelCollectorFailing', 'DbSentinelConnectionsNearMax',
      'DbSentinelCriticalPlanFindings', 'DbSentinelDatabaseDown', 'DbSentinelDatabaseServiceInactive',
      'DbSentinelDiskAwaitHigh', 'DbSentinelDiskUtilizationHigh', 'DbSentinelRunQueueHigh', 'DbSentinelSlowQuery',
      'DbSentinelSwapInUse', 'DbSentinelTextfileStale', 'DbSentinelTuningDrift',
      // the database health checks (db_sentinel_health.yml)
      'DbSentinelAbortedConnections', 'DbSentinelArchiverFailing', 'DbSentinelCheckpointsRequested',
      'DbSentinelInnodbHistoryLength', 'DbSentinelReplicationLag', 'DbSentinelReplicationSlot', 'DbSentinelThreadsRunningHigh',
      'DbSentinelVacuumHeldBack', 'DbSentinelWraparound',
    ].sort());
  });

  it('alerts on the checks by the agent\'s own verdict, not on copied thresholds', () => {
    for (const [name, check] of Object.entries(ON_VERDICT)) {
      const alert = alerts.find((a) => a.alert === name);
      assert.equal(alert?.expr, `max without (job) (db_sentinel_check_status{check="${check}"}) >= 1 < 3`, name);
    }
  });

  it('passes `promtool check rules --lint=all --lint-fatal`', () => {
    const result = promtool(['check', 'rules', '--lint=all', '--lint-fatal', ...RULE_FILES]);
    assert.equal(result.status, 0, result.output);
    // One SUCCESS line per rule file; together they count every alert.
    const found = [...result.output.matchAll(/SUCCESS: (\d+) rules found/g)].reduce((sum, match) => sum + Number(match[1]), 0);
    assert.equal(found, alerts.length, result.output);
  });

  it('passes `promtool test rules`', () => {
    const result = promtool(['test', 'rules', ...TEST_FILES]);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /SUCCESS/);
    assert.doesNotMatch(result.output, /FAILED/);
  });

  it('the rule tests can fail: a raised threshold breaks them', () => {
    // The same tests against a copy of the rules where the swap alert ignores the warning verdict: its case must fail.
    mkdirSync(join(scratch, 'rules'));
    mkdirSync(join(scratch, 'tests'));
    for (const file of RULE_FILES) {
      const text = readFileSync(file, 'utf8').replace('(db_sentinel_check_status{check="swap"}) >= 1 < 3', '(db_sentinel_check_status{check="swap"}) >= 2 < 3');
      writeFileSync(join(scratch, 'rules', file.split('/').pop() ?? ''), text);
    }
    for (const file of TEST_FILES) copyFileSync(file, join(scratch, 'tests', file.split('/').pop() ?? ''));
    const result = promtool(['test', 'rules', ...readdirSync(join(scratch, 'tests')).map((f) => join('tests', f))], scratch);
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /alertname: DbSentinelSwapInUse/);
  });

  it('tests every alert with a firing and a not-firing case', () => {
    const cases = new Map<string, { firing: number; quiet: number }>();
    for (const file of TEST_FILES) {
      const parsed = readYaml(file) as RuleTestFile;
      for (const test of parsed.tests) {
        for (const check of test.alert_rule_test ?? []) {
          const counts = cases.get(check.alertname) ?? { firing: 0, quiet: 0 };
          if ((check.exp_alerts ?? []).length > 0) counts.firing += 1;
          else counts.quiet += 1;
          cases.set(check.alertname, counts);
        }
      }
    }
    for (const alert of alerts) {
      const counts = cases.get(alert.alert);
      assert.ok(counts, `${alert.alert} has no promtool test`);
      assert.ok(counts.firing > 0, `${alert.alert} has no firing case`);
      assert.ok(counts.quiet > 0, `${alert.alert} has no not-firing case`);
    }
    const unknown = [...cases.keys()].filter((name) => !alerts.some((a) => a.alert === name));
    assert.deepEqual(unknown, [], 'tests name alerts that do not exist');
  });

  it('gives every alert a severity, a summary, a description and a runbook_url into a README runbook', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    // GitHub's anchor of a heading: lower case, spaces to dashes, other punctuation dropped.
    const anchors = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map((match) => match[1]!.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    // and the explicit anchors of the health checks' runbooks (<a id="runbook-<check>">)
    for (const match of readme.matchAll(/<a id="([a-z0-9_-]+)"><\/a>/g)) anchors.add(match[1]!);
    for (const alert of alerts) {
      // A literal severity, or the verdict's (check_status 2 critical, 1 warning; the promtool tests check the expansion).
      assert.ok(/^(warning|critical)$/.test(alert.labels?.severity ?? '') || alert.labels?.severity === VERDICT_SEVERITY, `${alert.alert}: severity`);
      for (const key of ['summary', 'description']) {
        assert.ok((alert.annotations?.[key] ?? '').trim().length > 10, `${alert.alert}: annotation ${key}`);
      }
      const url = alert.annotations?.runbook_url ?? '';
      assert.match(url, /^https:\/\/\S+\/README\.md#runbook-[a-z_]+$/, `${alert.alert}: runbook_url`);
      assert.ok(anchors.has(url.split('#')[1]!), `${alert.alert}: README has no heading for ${url}`);
      assert.match(alert.annotations?.summary ?? '', /\{\{ \$labels\.instance \}\}/, `${alert.alert}: summary names the host`);
      assert.ok(alert.for !== undefined, `${alert.alert}: no \`for\`, one bad sample would page`);
    }
    for (const name of REMEDIATED_BY_ORCHESTRATE) {
      const alert = alerts.find((a) => a.alert === name);
      assert.match(alert?.annotations?.description ?? '', /salt-run state\.orchestrate remediate pillar='\{"target": "\{\{ \$labels\.host \}\}"\}'/,
        `${name}: the description names the remediation command for its host`);
    }
  });
});
