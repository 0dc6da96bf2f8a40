// The Salt formula on a fleet: a real salt-master and N salt-minions (default 10) on this machine, each with its own
// install root. Figures: wall time of `salt '*' state.apply db_sentinel` (fresh, then converged) and the master's
// CPU per minion, beside a baseline in the same run: `salt '*' state.single test.nop` (Salt's own cost of a state
// run on every minion). Takes the Salt e2e's host lock (root's crontab is shared) and cleans the hosts after.
//
//   node --require ./test/harness/register.js bench/salt-fleet.ts [--minions 10]
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dump } from 'js-yaml';
import { acquireHostLock, REPO_ROOT, SaltCluster, summarize, type StateReturn } from '../test/harness/salt';

const { values } = parseArgs({ options: { minions: { type: 'string', default: '10' } } });
const MINIONS = Number(values.minions);

interface Figure {
  wallSeconds: number;
  masterCpuSeconds: number;
  changed: number;
  failed: number;
  /** The state IDs that changed or failed, with how many minions. */
  which: Map<string, number>;
}

async function measure(cluster: SaltCluster, args: string[]): Promise<Figure> {
  const cpuBefore = cluster.masterCpuSeconds();
  const started = performance.now();
  const result = await cluster.salt(['*', ...args], { timeout: 600 });
  const wallSeconds = (performance.now() - started) / 1000;
  const masterCpuSeconds = cluster.masterCpuSeconds() - cpuBefore;
  const answers = (result.json ?? {}) as Record<string, Record<string, StateReturn> | string[]>;
  let changed = 0;
  let failed = 0;
  const which = new Map<string, number>();
  for (const id of cluster.minions.map((minion) => minion.id)) {
    const states = answers[id];
    if (states === undefined || Array.isArray(states) || typeof states !== 'object') {
      failed += 1;
      continue;
    }
    const summary = summarize(states);
    changed += summary.changed.length;
    failed += summary.failed.length;
    for (const stateId of [...summary.changed, ...summary.failed]) which.set(stateId, (which.get(stateId) ?? 0) + 1);
  }
  return { wallSeconds, masterCpuSeconds, changed, failed, which };
}

function crontab(): string {
  try {
    return execFileSync('crontab', ['-l'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const release = await acquireHostLock('db_sentinel-salt-e2e');
  const savedCrontab = crontab();
  const work = await mkdtemp(join(tmpdir(), 'db_sentinel-fleet-'));
  const ids = Array.from({ length: MINIONS }, (_, index) => `db${String(index + 1).padStart(2, '0')}`);
  const pillar = {
    db_sentinel: {
      root: `${work}/{{ grains['id'] }}`,
      cron: { jobs: Object.fromEntries(['db_check', 'db_textfile', 'db_beacon'].map((job) =>
        [job, { identifier: `db_sentinel-bench-${job}-{{ grains['id'] }}`, minute: '*/5', hour: '*' }])) },
      databases: [],
      labels: { cluster: 'bench', role: 'replica' },
    },
    mine_functions: { 'db_sentinel.target': [] },
  };
  let cluster: SaltCluster | undefined;
  try {
    const startedCluster = performance.now();
    cluster = await SaltCluster.start({
      minionIds: ids,
      pillarFiles: { 'top.sls': "base:\n  'db*':\n    - bench\n", 'bench.sls': dump(pillar) },
    });
    process.stdout.write(`salt-fleet: ${MINIONS} minions up in ${((performance.now() - startedCluster) / 1000).toFixed(1)} s (repository ${REPO_ROOT})\n`);
    const baseline = await measure(cluster, ['state.single', 'test.nop', 'name=baseline']);
    const fresh = await measure(cluster, ['state.apply', 'db_sentinel']);
    const converged = await measure(cluster, ['state.apply', 'db_sentinel']);
    const row = (label: string, figure: Figure) => process.stdout.write(`${label.padEnd(34)} wall ${figure.wallSeconds.toFixed(1).padStart(6)} s` +
      `  master CPU ${figure.masterCpuSeconds.toFixed(2).padStart(6)} s (${(figure.masterCpuSeconds / MINIONS).toFixed(3)} s/minion)` +
      `  changed ${figure.changed}  failed ${figure.failed}\n`);
    const detail = (label: string, figure: Figure) => {
      if (figure.changed + figure.failed > 0 && figure.which.size < 10) {
        process.stdout.write(`  ${label}: ${[...figure.which].map(([stateId, count]) => `${stateId} x${count}`).join(', ')}\n`);
      }
    };
    row(`baseline: state.single test.nop`, baseline);
    row(`state.apply db_sentinel (fresh)`, fresh);
    row(`state.apply db_sentinel (converged)`, converged);
    detail('converged changes', converged);
    await measure(cluster, ['state.apply', 'db_sentinel.clean']);
  } finally {
    await cluster?.stop();
    // The minions edited root's crontab one after another or at once: put back exactly what was there.
    if (savedCrontab.trim() === '') {
      try {
        execFileSync('crontab', ['-r'], { stdio: 'ignore' });
      } catch {
        // No crontab: nothing to remove.
      }
    } else {
      execFileSync('crontab', ['-'], { input: savedCrontab });
    }
    await rm(work, { recursive: true, force: true });
    release();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`salt-fleet: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
