// The opt-in Salt state db_sentinel.auto_explain on a real PostgreSQL 17 (embedded; its postgresql.conf given the
// `include_dir = 'conf.d'` line Debian's has) with Salt's own salt-call (masterless, the repository's salt/ as
// file_roots): off by default (nothing rendered); on, it writes the include file and reloads, and new sessions have
// auto_explain with json plans, analyze, buffers, no timing, verbose, compute_query_id, without a restart; db_analyzer
// then reads executed plans of the planted workload from the server log; a second apply changes nothing; a bad
// pillar value fails naming the key; clean removes the file.
import { strict as assert } from 'node:assert';
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { dump } from 'js-yaml';
import { collectDatabase } from '../../src/collectors/db/databases';
import { parseConfig, type DatabaseConfig } from '../../src/core/config';
import { openPostgres } from '../../src/sources/postgres';
import { postgresBinDir, startPostgres, type PostgresServer } from '../../src/demo/embedded-postgres';
import { createPlantedSchema, PLANTED_SCENARIOS, runPlantedWorkload } from '../../src/demo/planted-workload';
import { sleep } from '../../src/demo/local-server';
import { SALT_VENV } from '../harness/salt';
import { PlanCache } from '../../src/explain';

/** The plan cache of this file's collections (one per process, as serve keeps one). */
const planCache = new PlanCache();

const REPO = resolve(__dirname, '..', '..');

describe('Salt state db_sentinel.auto_explain on PostgreSQL 17', () => {
  let server: PostgresServer;
  let dir: string;
  let confFile: string;

  async function saltCall(pillar: Record<string, unknown>, ...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    writeFileSync(join(dir, 'pillar', 'db_sentinel.sls'), dump({ db_sentinel: pillar }));
    const result = await execa(join(SALT_VENV, 'bin', 'salt-call'), ['--local', '-c', join(dir, 'conf'), '--out=json', ...args], { reject: false, timeout: 300_000 });
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  function changed(stdout: string): string[] {
    const states = (JSON.parse(stdout) as { local: Record<string, { changes: Record<string, unknown>; result: boolean }> }).local;
    for (const [id, state] of Object.entries(states)) assert.equal(state.result, true, `${id}: ${JSON.stringify(state)}`);
    return Object.entries(states).filter(([, state]) => Object.keys(state.changes).length > 0).map(([id]) => id.split('_|-')[1] ?? id);
  }

  before(async () => {
    // auto_explain is not preloaded: the state must turn it on (settings given with -c would pin it off).
    server = await startPostgres(17, { shared_preload_libraries: 'pg_stat_statements' });
    const dataDir = join(server.dir, 'data');
    appendFileSync(join(dataDir, 'postgresql.conf'), "\ninclude_dir = 'conf.d'\n");
    mkdirSync(join(dataDir, 'conf.d'));
    const owner = statSync(dataDir); // conf.d belongs to the server's user, as on Debian
    chownSync(join(dataDir, 'conf.d'), owner.uid, owner.gid);
    confFile = join(dataDir, 'conf.d', 'db_sentinel-auto_explain.conf');
    dir = mkdtempSync(join(tmpdir(), 'db_sentinel-salt-ae-'));
    mkdirSync(join(dir, 'conf'));
    mkdirSync(join(dir, 'pillar'));
    writeFileSync(join(dir, 'pillar', 'top.sls'), dump({ base: { '*': ['db_sentinel'] } }));
    writeFileSync(join(dir, 'conf', 'minion'), dump({
      id: 'db1', file_client: 'local', root_dir: join(dir, 'root'),
      file_roots: { base: [join(REPO, 'salt')] }, pillar_roots: { base: [join(dir, 'pillar')] },
    }));
    await server.query('CREATE DATABASE shop');
    await createPlantedSchema(server, 'shop');
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const enabled = (): Record<string, unknown> => ({
    auto_explain: {
      enabled: true, version: 17, conf_file: confFile, log_min_duration: '0', log_destination: 'stderr',
      reload_cmd: `${join(postgresBinDir(17), 'pg_ctl')} reload -D ${join(server.dir, 'data')}`,
    },
  });

  it('before: the report names auto_explain_not_loaded with the Salt step as remedy', async () => {
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, `${server.superuserPassword}\n`, { mode: 0o600 });
    const config = parseConfig({
      databases: [{ name: 'shop', engine: 'postgresql', url: `postgresql://postgres@127.0.0.1:${server.port}/shop`, password_file: passwordFile }],
      explain: { cache_file: join(dir, 'plan-cache.json'), budget_seconds: 0 },
    }, '(test)');
    const report = await collectDatabase(config.databases[0] as DatabaseConfig, { limit: 10, min_calls: 2 }, openPostgres, { config: config.explain, cache: planCache }, { stateDir: dir });
    const problem = report.problems.find((item) => item.code === 'auto_explain_not_loaded');
    assert.ok(problem, JSON.stringify(report.problems));
    assert.match(problem.remedy ?? '', /db_sentinel:auto_explain:enabled: true and state\.apply db_sentinel\.auto_explain/);
  });

  it('off by default: renders nothing', async () => {
    const result = await saltCall({}, 'state.apply', 'db_sentinel.auto_explain');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(changed(result.stdout), []);
    assert.equal(existsSync(confFile), false);
  });

  it('a bad pillar value fails naming the key, and changes nothing', async () => {
    const result = await saltCall({ auto_explain: { enabled: true } }, 'state.apply', 'db_sentinel.auto_explain');
    assert.notEqual(result.exitCode, 0);
    assert.match(result.stdout + result.stderr, /db_sentinel:auto_explain:version: expected the major version/);
    assert.equal(existsSync(confFile), false);
  });

  it('on: writes the include file and reloads; new sessions explain in json without a restart', async () => {
    const result = await saltCall(enabled(), 'state.apply', 'db_sentinel.auto_explain');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(changed(result.stdout).sort(), ['db_sentinel-auto_explain-conf-cmd-run', 'db_sentinel-auto_explain-conf-file-managed']);
    const text = readFileSync(confFile, 'utf8');
    for (const line of ["session_preload_libraries = 'auto_explain'", "auto_explain.log_format = 'json'", 'auto_explain.log_analyze = on',
      'auto_explain.log_buffers = on', 'auto_explain.log_timing = off', 'auto_explain.log_verbose = on', 'compute_query_id = on',
      "auto_explain.log_min_duration = '0'", 'auto_explain.sample_rate = 1.0']) assert.ok(text.includes(line), `${line} in\n${text}`);
    let settings: Record<string, string> = {};
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const [row] = await server.query<Record<string, string>>(`SELECT current_setting('session_preload_libraries') AS preload,
        current_setting('auto_explain.log_format', true) AS format, current_setting('auto_explain.log_timing', true) AS timing,
        current_setting('compute_query_id') AS query_id`, [], 'shop');
      settings = row ?? {};
      if (settings.format === 'json') break;
      await sleep(100); // the postmaster re-reads its files on SIGHUP, a moment after pg_ctl returns
    }
    assert.deepEqual(settings, { preload: 'auto_explain', format: 'json', timing: 'off', query_id: 'on' });
  });

  it('then db_analyzer reads executed plans of the workload from the log', async () => {
    await runPlantedWorkload(server, 'shop');
    const last = PLANTED_SCENARIOS[PLANTED_SCENARIOS.length - 1]?.sql ?? '';
    for (let attempt = 0; attempt < 100 && !readFileSync(server.logFile, 'utf8').includes(last); attempt += 1) await sleep(100);
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, `${server.superuserPassword}\n`, { mode: 0o600 });
    const config = parseConfig({
      databases: [{ name: 'shop', engine: 'postgresql', url: `postgresql://postgres@127.0.0.1:${server.port}/shop`, password_file: passwordFile, server_log: server.logFile }],
      explain: { cache_file: join(dir, 'plan-cache.json') },
    }, '(test)');
    const report = await collectDatabase(config.databases[0] as DatabaseConfig, { limit: 10, min_calls: 2 }, openPostgres, { config: config.explain, cache: planCache }, { stateDir: dir });
    const observed = report.slow_queries.filter((query) => query.plan?.method === 'auto_explain');
    assert.ok(observed.length >= 9, `${observed.length} of ${report.slow_queries.length}: ${JSON.stringify(report.problems)}`);
  });

  it('a second apply changes nothing; clean removes the file and reloads', async () => {
    const again = await saltCall(enabled(), 'state.apply', 'db_sentinel.auto_explain');
    assert.equal(again.exitCode, 0, again.stderr);
    assert.deepEqual(changed(again.stdout), []);
    const clean = await saltCall(enabled(), 'state.apply', 'db_sentinel.auto_explain.clean');
    assert.equal(clean.exitCode, 0, clean.stderr);
    assert.deepEqual(changed(clean.stdout).sort(), ['db_sentinel-auto_explain-clean-cmd-run', 'db_sentinel-auto_explain-clean-file-absent']);
    assert.equal(existsSync(confFile), false);
  });
});
