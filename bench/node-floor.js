// The floor of any Node db_check, run beside it by bench/db_check.py: Node starts, runs the same four tools as
// db_check (vmstat and iostat over the same interval, free, systemctl) with node:child_process, reads their output
// and does nothing else. usage: node bench/node-floor.js [SAMPLE_SECONDS]
'use strict';
const { spawn } = require('node:child_process');

const sample = process.argv[2] || '1';

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.on('close', () => resolve(output));
  });
}

Promise.all([
  run('vmstat', [sample, '2']),
  run('iostat', ['-d', '-x', '-k', '-y', '-o', 'JSON', sample, '1']),
  run('free', ['-m']),
  run('systemctl', ['list-units', '--type=service', '--all', '--plain', '--no-legend', '--no-pager', 'postgresql.service']),
]).then((outputs) => process.stdout.write(`${outputs.map((output) => output.length).join(' ')}\n`));
