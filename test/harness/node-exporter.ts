// Debian's prometheus-node-exporter with only the textfile collector, reading a directory, on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../src/demo/local-server';

export interface NodeExporter {
  url: string;
  scrape: () => Promise<string>;
  stop: () => Promise<void>;
}

export async function startNodeExporter(textfileDir: string): Promise<NodeExporter> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePort();
    const child: ChildProcess = spawn('prometheus-node-exporter', ['--collector.disable-defaults', '--collector.textfile',
      `--collector.textfile.directory=${textfileDir}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => { log += chunk.toString(); });
    const url = `http://127.0.0.1:${port}/metrics`;
    for (let wait = 0; wait < 50 && child.exitCode === null; wait += 1) {
      try {
        const response = await fetch(url);
        if (response.ok) {
          return {
            url,
            scrape: async () => (await fetch(url)).text(),
            stop: async () => {
              if (child.exitCode !== null) return;
              const exited = new Promise((resolve) => child.once('exit', resolve));
              child.kill('SIGTERM');
              await exited;
            },
          };
        }
      } catch {
        // Not listening yet: the next attempt follows shortly.
      }
      await sleep(100);
    }
    child.kill('SIGKILL');
    if (!/address already in use/.test(log)) throw new Error(`node_exporter did not start: ${log}`);
  }
  throw new Error('node_exporter: no free port after 5 attempts');
}
