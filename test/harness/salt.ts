// A real Salt master and minions on loopback for the end-to-end tests: Salt from the PyPI venv that .ci/install
// makes, each daemon with its own root_dir (config, pki, cache, sockets, logs) in a temporary directory, free
// ports, auto-accept. The master's file_roots and reactor come from the repository's salt/master.d snippet (its
// /srv/db_sentinel paths pointed at this checkout); pillar comes from a temporary pillar tree per test file.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { dump, load } from 'js-yaml';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SALT_VENV = process.env.DB_SENTINEL_SALT_VENV ?? '/opt/db_sentinel/salt-venv';
const SNIPPET = join(REPO_ROOT, 'salt', 'master.d', 'db_sentinel.conf');
const SNIPPET_CHECKOUT = '/srv/db_sentinel';

/** A port nobody listens on now (the kernel picks it); Salt needs numbers in its config, not port 0. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Serializes test files that change this host's kernel settings and root's crontab (several checkouts may run their
 * suites at once): an atomic mkdir lock holding the owner's pid, taken over when that process is gone. The limit is
 * a guard, not a margin: on a shared machine several checkouts' Salt tests (minutes each) may queue ahead.
 */
/** The lock of the tests that change or compare this host's kernel settings and root's crontab. */
export const HOST_SETTINGS_LOCK = 'db_sentinel-salt-e2e';

export async function acquireHostLock(name: string, timeoutMs = 60 * 60_000): Promise<() => void> {
  const dir = join(tmpdir(), `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (error: unknown) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    const owner = Number(readFileSync(join(dir, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
    let alive = false;
    if (owner > 0) {
      try {
        process.kill(owner, 0);
        alive = true;
      } catch {
        alive = false; // No such process: the lock is stale.
      }
    }
    if (!alive) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${dir} still held by pid ${owner} after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 1000));
  }
}

export interface SaltResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (the commands run with --out=json --static), undefined when it is not JSON. */
  json: unknown;
}

export interface MinionHandle {
  id: string;
  configDir: string;
  /** A directory on PATH for this minion's processes: `salt-call` there talks to this minion's config. */
  binDir: string;
}

export interface SaltClusterOptions {
  minionIds: string[];
  /** Pillar files written to the pillar tree: relative path -> content (top.sls among them). */
  pillarFiles: Record<string, string>;
  /** Extra pillar roots searched after the temporary tree (e.g. the repository's pillar/). */
  extraPillarRoots?: string[];
}

/** An event as the master fired it (state.event's JSON): for a minion's event.send, `id` and the sent `data`. */
export interface SaltBusEvent {
  id?: string;
  data: Record<string, unknown>;
}

export interface EventWatcher {
  /** The first event with exactly this tag seen since the watcher subscribed. */
  next(tag: string, timeoutMs?: number): Promise<SaltBusEvent>;
  close(): void;
}

/** One state's return as Salt prints it with --out=json. */
export interface StateReturn {
  __id__?: string;
  name: string;
  result: boolean | null;
  comment: string | string[];
  changes: Record<string, unknown>;
}

export class SaltCluster {
  private readonly daemons: ChildProcess[] = [];

  private constructor(
    readonly dir: string,
    readonly masterConfigDir: string,
    readonly pillarDir: string,
    readonly minions: MinionHandle[],
  ) {}

  static async start(options: SaltClusterOptions): Promise<SaltCluster> {
    if (!existsSync(join(SALT_VENV, 'bin', 'salt-master'))) {
      throw new Error(`Salt is not installed in ${SALT_VENV}: run bash .ci/install`);
    }
    const dir = await mkdtemp(join(tmpdir(), 'db_sentinel-salt-'));
    const masterConfigDir = join(dir, 'master-conf');
    const pillarDir = join(dir, 'pillar');
    await mkdir(masterConfigDir, { recursive: true });
    const [publishPort, retPort] = [await freePort(), await freePort()];

    const snippetText = (await readFile(SNIPPET, 'utf8')).split(SNIPPET_CHECKOUT).join(REPO_ROOT);
    const master = {
      ...(load(snippetText) as Record<string, unknown>),
      root_dir: join(dir, 'master-root'),
      user: 'root',
      interface: '127.0.0.1',
      publish_port: publishPort,
      ret_port: retPort,
      auto_accept: true,
      worker_threads: 3,
      log_level_logfile: 'info',
      pillar_roots: { base: [pillarDir, ...(options.extraPillarRoots ?? [])] },
      // Fail fast in tests instead of Salt's generous defaults.
      timeout: 30,
      gather_job_timeout: 15,
    };
    await writeFile(join(masterConfigDir, 'master'), dump(master));

    const minions: MinionHandle[] = [];
    for (const id of options.minionIds) {
      const configDir = join(dir, `minion-${id}-conf`);
      const binDir = join(dir, `minion-${id}-bin`);
      await mkdir(configDir, { recursive: true });
      await mkdir(binDir, { recursive: true });
      await writeFile(join(configDir, 'minion'), dump({
        id,
        root_dir: join(dir, `minion-${id}-root`),
        user: 'root',
        master: '127.0.0.1',
        master_port: retPort,
        publish_port: publishPort,
        acceptance_wait_time: 1,
        random_reauth_delay: 0,
        auth_timeout: 10,
        log_level_logfile: 'info',
        // Minions share this host: keep each one's module cache its own (root_dir also covers pki, cache, sockets).
        grains: { db_sentinel_test_minion: true },
      }));
      // The cron jobs and db_beacon find `salt-call` through PATH; this one reaches this minion's master.
      const saltCall = join(binDir, 'salt-call');
      // Each call is logged (one line of arguments) so that tests can count the salt-calls a command made.
      await writeFile(saltCall, `#!/bin/sh\nprintf '%s\\n' "$*" >> ${join(binDir, 'salt-call.log')}\nexec ${join(SALT_VENV, 'bin', 'salt-call')} -c ${configDir} "$@"\n`, { mode: 0o755 });
      minions.push({ id, configDir, binDir });
    }

    const cluster = new SaltCluster(dir, masterConfigDir, pillarDir, minions);
    try {
      await cluster.writePillar(options.pillarFiles);
      cluster.spawnDaemon('salt-master', masterConfigDir);
      for (const minion of minions) cluster.spawnDaemon('salt-minion', minion.configDir);
      await cluster.waitForMinions();
    } catch (error: unknown) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  minion(id: string): MinionHandle {
    const found = this.minions.find((minion) => minion.id === id);
    if (!found) throw new Error(`no minion ${id}`);
    return found;
  }

  async writePillar(files: Record<string, string>): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      const file = join(this.pillarDir, path);
      await mkdir(resolve(file, '..'), { recursive: true });
      await writeFile(file, content);
    }
  }

  private spawnDaemon(command: string, configDir: string): void {
    // Own process group, so stop() ends the daemon and every worker it forked.
    const child = spawn(join(SALT_VENV, 'bin', command), ['-c', configDir, '-l', 'warning'], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      if (!this.stopping) process.stderr.write(`${command} (${configDir}) exited early: ${code ?? signal}\n${stderr}\n`);
    });
    this.daemons.push(child);
  }

  private stopping = false;

  private async waitForMinions(): Promise<void> {
    const deadline = Date.now() + 90_000;
    let last = '';
    while (Date.now() < deadline) {
      const result = await this.salt(['*', 'test.ping'], { timeout: 5 });
      const json = result.json as Record<string, unknown> | undefined;
      if (json && this.minions.every((minion) => json[minion.id] === true)) return;
      last = `${result.stdout}${result.stderr}`.slice(0, 500);
      await new Promise((done) => setTimeout(done, 1000));
    }
    throw new Error(`Salt minions ${this.minions.map((m) => m.id).join(', ')} did not answer within 90 s: ${last}`);
  }

  private async run(command: string, args: string[], env?: Record<string, string>): Promise<SaltResult> {
    const started = Date.now();
    const result = await execa(join(SALT_VENV, 'bin', command), args, {
      reject: false,
      timeout: 300_000,
      env: { ...env },
      extendEnv: true,
    });
    if (process.env.DB_SENTINEL_SALT_TRACE) {
      process.stderr.write(`[salt ${((Date.now() - started) / 1000).toFixed(1)}s] ${command} ${args.join(' ')}\n`);
    }
    let json: unknown;
    try {
      json = JSON.parse(result.stdout);
    } catch {
      json = undefined; // Not JSON (an error text): callers look at stdout/stderr.
    }
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, json };
  }

  /** `salt TARGET FUN ARGS…` on the master, JSON output. */
  async salt(args: string[], options: { timeout?: number } = {}): Promise<SaltResult> {
    return this.run('salt', ['-c', this.masterConfigDir, '--out=json', '--static', '-t', String(options.timeout ?? 120),
      ...args]);
  }

  /** `salt-run FUN ARGS…` on the master, JSON output. */
  async saltRun(args: string[]): Promise<SaltResult> {
    return this.run('salt-run', ['-c', this.masterConfigDir, '--out=json', ...args]);
  }

  /** `salt-run FUN ARGS…` on the master in Salt's default output (what an operator reads), stdout and stderr. */
  async saltRunText(args: string[]): Promise<string> {
    const result = await this.run('salt-run', ['-c', this.masterConfigDir, '--no-color', ...args]);
    return `${result.stdout}\n${result.stderr}`;
  }

  /** The salt-calls made through a minion's PATH wrapper so far, one line of arguments each. */
  saltCallLog(id: string): string[] {
    const file = join(this.minion(id).binDir, 'salt-call.log');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line !== '') : [];
  }

  /**
   * Watches the master's event bus for tags starting with `prefix` (salt-run state.event). Resolves once the watcher
   * is known to be subscribed: it fires probe events (salt-run event.send) until it sees one, so no event sent after
   * this resolves can be missed, however slowly the runner started.
   */
  async watchEvents(prefix: string, timeoutMs = 180_000): Promise<EventWatcher> {
    const child = spawn(join(SALT_VENV, 'bin', 'salt-run'), ['-c', this.masterConfigDir, 'state.event', `tagmatch=${prefix}*`, 'count=-1'],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const seen: Array<{ tag: string; data: SaltBusEvent }> = [];
    let buffered = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const tab = line.indexOf('\t');
        if (tab > 0) seen.push({ tag: line.slice(0, tab), data: JSON.parse(line.slice(tab + 1)) as SaltBusEvent });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const close = () => {
      try {
        process.kill(-(child.pid as number), 'SIGTERM');
      } catch {
        // Already gone.
      }
    };
    const waitFor = async (tag: string, limitMs: number, between?: () => Promise<unknown>): Promise<SaltBusEvent> => {
      const deadline = Date.now() + limitMs;
      for (;;) {
        const found = seen.find((event) => event.tag === tag);
        if (found) return found.data;
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`no event ${tag} on the master bus within ${limitMs} ms; seen: ${seen.map((event) => event.tag).join(', ')}; ${stderr}`);
        }
        if (between) await between();
        else await new Promise((done) => setTimeout(done, 500));
      }
    };
    const probe = `${prefix}probe/${process.pid}`;
    try {
      await waitFor(probe, timeoutMs, () => this.run('salt-run', ['-c', this.masterConfigDir, 'event.send', probe]));
    } catch (error: unknown) {
      close();
      throw error;
    }
    return { next: (tag, limitMs = timeoutMs) => waitFor(tag, limitMs), close };
  }

  /** `salt-call ARGS…` on a minion, JSON output. */
  async saltCall(id: string, args: string[]): Promise<SaltResult> {
    return this.run('salt-call', ['-c', this.minion(id).configDir, '--out=json', ...args]);
  }

  /**
   * Runs `state.apply` on one minion and returns its state results, failing on a non-dict answer. queue=True: a
   * state run still going on that minion (a reaction's) is waited for instead of refusing.
   */
  async applyState(id: string, args: string[]): Promise<Record<string, StateReturn>> {
    const result = await this.salt([id, 'state.apply', ...args, 'queue=True']);
    const states = (result.json as Record<string, unknown> | undefined)?.[id];
    if (states === null || typeof states !== 'object' || Array.isArray(states)) {
      throw new Error(`state.apply ${args.join(' ')} on ${id} did not return states: ${result.stdout}${result.stderr}`);
    }
    return states as Record<string, StateReturn>;
  }

  /** CPU seconds (user + system, reaped children included) the salt-master and its workers have used so far. */
  masterCpuSeconds(): number {
    const group = this.daemons[0]?.pid;
    if (group === undefined) return 0;
    const ticks = 100; // USER_HZ on Linux
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // The process ended between readdir and read.
      }
      // Fields after the command (which may hold spaces) start at state: pgrp is the 3rd, utime..cstime the 12th-15th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== group) continue;
      total += fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
    }
    return total / ticks;
  }

  /** The master's log (reactor and orchestrate errors land there). */
  async masterLog(): Promise<string> {
    return readFile(join(this.dir, 'master-root', 'var', 'log', 'salt', 'master'), 'utf8').catch(() => '');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const exits = this.daemons.map((child) => new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      try {
        process.kill(-(child.pid as number), 'SIGTERM');
      } catch {
        done(); // The group is already gone.
      }
      setTimeout(() => {
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // Already exited after SIGTERM.
        }
        done();
      }, 5_000).unref();
    }));
    await Promise.all(exits);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Summaries of a state run: the IDs that changed and those that failed (result false). */
export function summarize(states: Record<string, StateReturn>): { changed: string[]; failed: string[]; pending: string[] } {
  const entries = Object.values(states);
  const idOf = (state: StateReturn) => state.__id__ ?? state.name;
  return {
    changed: entries.filter((state) => Object.keys(state.changes ?? {}).length > 0).map(idOf),
    failed: entries.filter((state) => state.result === false).map(idOf),
    pending: entries.filter((state) => state.result === null).map(idOf),
  };
}
