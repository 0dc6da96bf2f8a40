// Starts `build/db_analyzer.js serve` as a child process on a free loopback port and returns its base URL once it
// says it is serving.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const NODE18 = join(ROOT, 'node_modules', 'node18', 'bin', 'node');

/** What the analyzer's systemd unit adds to `node db_analyzer.js serve` (salt/db_sentinel/service/files/
 * db_sentinel-analyzer.service.jinja): the benches run the daemon as deployed. */
export const UNIT_NODE_ARGS: readonly string[] = ['--no-opt'];
export const UNIT_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

export function startServe(args: readonly string[], node = process.execPath, timeoutMs = 120_000, nodeArgs: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env, bundleDir = join(ROOT, 'build')): Promise<ServeProcess> {
  const child = spawn(node, [...nodeArgs, join(bundleDir, 'db_analyzer.js'), 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within ${timeoutMs} ms: ${stderr}${stdout}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving (https?:\/\/\S+?)\/? /.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1]!,
          stderr: () => stderr,
          stop: () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before serving: ${stdout}${stderr}`));
    });
  });
}
