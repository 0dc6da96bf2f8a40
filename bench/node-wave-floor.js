// The floor of db_check as it runs its tools (src/sources/wave.ts), run beside it by bench/db_check.py: Node starts,
// runs the same four tools (vmstat and iostat over the same interval, free, systemctl) under one /bin/sh with
// spawnSync's binding, each tool's output on its own pipe, writes their sizes with one write(2), and does nothing
// else. bench/node-floor.js is the same work with one child_process.spawn per tool.
// usage: node bench/node-wave-floor.js [SAMPLE_SECONDS]
'use strict';
const sample = process.argv[2] || '1';
const commands = [
  ['/usr/bin/vmstat', [sample, '2']],
  ['/usr/bin/iostat', ['-d', '-x', '-k', '-y', '-o', 'JSON', sample, '1']],
  ['/usr/bin/free', ['-m']],
  ['/usr/bin/systemctl', ['list-units', '--type=service', '--all', '--plain', '--no-legend', '--no-pager', 'postgresql.service']],
];
const parameters = [];
const script = commands.map(([command, args], index) => {
  const words = [command, ...args].map((word) => {
    parameters.push(word);
    return `"\${${parameters.length}}"`;
  });
  const own = index === 0 ? '' : ` >&${2 * index + 1} 2>&${2 * index + 2}`;
  return `{ ${words.join(' ')} 9>&-; echo "${index} $?" >&9; }${own} 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- &\n`;
}).join('') + 'wait\n';
const result = process.binding('spawn_sync').spawn({
  file: '/bin/sh', args: ['/bin/sh', '-c', script, 'floor', ...parameters],
  envPairs: Object.entries({ ...process.env, LC_ALL: 'C' }).map(([key, value]) => `${key}=${value}`),
  stdio: [{ type: 'ignore' }, ...Array.from({ length: 9 }, () => ({ type: 'pipe', readable: false, writable: true }))],
  detached: true, killSignal: 9, maxBuffer: Infinity, timeout: 60000, windowsHide: false, windowsVerbatimArguments: false,
});
require('node:fs').writeSync(1, `${result.output.map((output) => (output ? output.length : 0)).join(' ')}\n`);
