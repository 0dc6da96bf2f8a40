// Hosts for black-box runs of the built db_check (test/e2e/db_check*.test.ts): substitute commands on PATH, shell
// scripts in a temporary directory that print captured real output (test/fixtures/cmd), and a config of their own.
// PATH holds only that directory (plus the /usr/sbin:/sbin that db_check adds), so a tool left out is a tool the host
// does not have.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandFixturePath } from './fixtures';

export const CHECK_FIXTURE = {
  vmstat: commandFixturePath('vmstat', 'procps-ng-4.0.2-debian12-1-2.txt'),
  iostatJson: commandFixturePath('iostat', 'sysstat-12.6.1-debian12-dxky-loop.json'),
  iostatText: commandFixturePath('iostat', 'sysstat-12.6.1-debian12-dxky-loop.txt'),
  iostat10: commandFixturePath('iostat', 'sysstat-10.1.5-centos7-x.txt'),
  freeSwap: commandFixturePath('free', 'procps-ng-4.0.2-debian12-m-swap-in-use.txt'),
  freeNoSwap: commandFixturePath('free', 'procps-ng-4.0.2-debian12-m-no-swap.txt'),
  notBooted: commandFixturePath('systemctl', 'systemd-252-debian12-not-booted.stderr'),
};

/** Substitute tools: name -> shell script body. */
export type Tools = Record<string, string>;

export const HEALTHY: Tools = {
  vmstat: `exec /bin/cat ${CHECK_FIXTURE.vmstat}`,
  // sysstat 12: JSON when asked for it.
  iostat: `case " $* " in *" JSON "*) exec /bin/cat ${CHECK_FIXTURE.iostatJson};; esac\nexec /bin/cat ${CHECK_FIXTURE.iostatText}`,
  free: `exec /bin/cat ${CHECK_FIXTURE.freeNoSwap}`,
  // systemd as PID 1 answering is-active for every unit asked (one state word per unit, in order).
  systemctl: 'if [ "$1" = is-active ]; then shift; for unit in "$@"; do echo active; done; exit 0; fi\n' +
    'echo "unexpected systemctl $*" >&2; exit 1',
};

export interface CheckHost {
  dir: string;
  /** The directory of substitute tools: the run's PATH. */
  bin: string;
  config: string;
}

/** Makes hosts under `work`: each a bin directory of substitute tools and a config (its lock file inside). */
export function checkHostFactory(work: string): (tools: Tools, config?: string) => CheckHost {
  let counter = 0;
  return (tools, config = '') => {
    counter += 1;
    const dir = join(work, `host${counter}`);
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const [name, body] of Object.entries(tools)) {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    }
    const configPath = join(dir, 'config.yml');
    writeFileSync(configPath, `check:\n  lock_file: ${join(dir, 'db_check.lock')}\n  services: [postgresql@15-main.service]\n${config}`);
    return { dir, bin, config: configPath };
  };
}

export interface CheckRun {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs `file args` with PATH (and `env`) alone in its environment; the exit code, whatever it is, is the result. */
export function runWithPath(file: string, args: string[], path: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CheckRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env: { ...env, PATH: path }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      if (code === null) {
        reject(error);
        return;
      }
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

export function checkLine(stdout: string, name: string): string {
  return stdout.split('\n').find((line) => new RegExp(`^\\[[A-Z]+\\] ${name}: `).test(line)) ?? `(no ${name} line)`;
}
