#!/usr/bin/env python3
"""Benchmark of db_check (build/db_check.js) beside the plan's bash script doing the same work (bench/db_check.sh:
the same tools over the same interval, the same verdicts, Nagios output) all run alternately in
the same loop so that they see the same machine load, in cron's environment; beside them `node -e 0`, the floor of
any Node db_check (bench/node-floor.js: Node running the same four tools with child_process.spawn, nothing else) and
the floor of db_check's way (bench/node-wave-floor.js: the same four tools under one /bin/sh launcher, as
src/sources/wave.ts runs them). db_check runs on Node 20 (PATH's node)
and Node 18.20 (node_modules/node18), with its code cache warm (the cold first run is shown apart), reading the
config as Salt renders it (JSON). For each run: CPU time (user+sys of the process and of every tool it ran and
reaped: vmstat, iostat, free, systemctl; from wait4's rusage), wall time, and peak RSS. Then medians and the goals:
  db_check CPU <= 1.5x the bash script's;
  peak RSS <= 45 MiB;
  no database driver (pg, mysql2), no prom-client and no js-yaml evaluated on the hot path (the bundle is checked
  for the drivers; js-yaml loads only for a YAML config).
CPU time on a shared machine moves with the load of others; `--callgrind` adds instruction counts (valgrind, every
process of the run summed), which repeat to a few per cent whatever the load.
usage: python3 bench/db_check.py [--runs N] [--node PATH] [--node18 PATH] [--sample-seconds N] [--callgrind]
"""
import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import CRON_ENV, instructions

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLE = os.path.join(ROOT, 'build', 'db_check.js')
BASH_SCRIPT = os.path.join(ROOT, 'bench', 'db_check.sh')
NODE_FLOOR = os.path.join(ROOT, 'bench', 'node-floor.js')
NODE_WAVE_FLOOR = os.path.join(ROOT, 'bench', 'node-wave-floor.js')
NODE18 = os.path.join(ROOT, 'node_modules', 'node18', 'bin', 'node')
FORBIDDEN = ['pg', 'mysql2', 'prom-client']

# cron's environment: nothing else. An inherited NODE_EXTRA_CA_CERTS, for one, costs node ~50 ms of CPU at start-up
# (it loads the certificates), which would drown what db_check itself costs.


def measure(argv):
    """Runs argv to completion in cron's environment; returns (cpu_ms, wall_ms, peak_rss_mib, exit_code)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CRON_ENV)
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    return (usage.ru_utime + usage.ru_stime) * 1000, wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def code_cache_dir():
    return '/var/cache/db_sentinel' if os.getuid() == 0 else f'{tempfile.gettempdir()}/db_sentinel-cache-{os.getuid()}'


def drop_code_cache():
    for name in glob.glob(os.path.join(code_cache_dir(), 'db_check.*.v8cache')):
        os.remove(name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--node', default=shutil.which('node') or 'node')
    parser.add_argument('--node18', default=NODE18)
    parser.add_argument('--sample-seconds', type=int, default=1)
    parser.add_argument('--callgrind', action='store_true')
    args = parser.parse_args()

    bundle = open(BUNDLE, encoding='latin1').read()
    print(f'== bundle {os.path.relpath(BUNDLE, ROOT)}: {len(bundle)} bytes')
    bad = [module for module in FORBIDDEN if f'node_modules/{module}/' in bundle]
    print(f'modules pg, mysql2, prom-client in the bundle: {", ".join(bad) if bad else "none"}  '
          f'{"MISSED" if bad else "ok"}')
    nodes = {'node20': args.node, 'node18': args.node18}
    versions = {label: subprocess.run([node, '--version'], capture_output=True, text=True).stdout.strip()
                for label, node in nodes.items()}
    print(f'machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; '
          f'node {versions["node20"]} and {versions["node18"]}; bash {os.path.realpath("/bin/bash")}')

    with tempfile.TemporaryDirectory(prefix='db_check-bench-') as work:
        config = os.path.join(work, 'config.yml')
        with open(config, 'w', encoding='utf8') as file:
            json.dump({'check': {'sample_seconds': args.sample_seconds, 'lock_file': f'{work}/db_check.lock'}}, file)
        commands = {
            'bash script': ['/bin/bash', BASH_SCRIPT, str(args.sample_seconds)],
            'node -e 0': [args.node, '-e', '0'],
            'node floor': [args.node, NODE_FLOOR, str(args.sample_seconds)],
            'wave floor': [args.node, NODE_WAVE_FLOOR, str(args.sample_seconds)],
            'db_check node20': [args.node, BUNDLE, '--config', config],
            'db_check node18': [args.node18, BUNDLE, '--config', config],
        }
        drop_code_cache()
        for label in ('db_check node20', 'db_check node18'):
            cpu, wall, rss, code = measure(commands[label])
            print(f'{label} first run (compiles, writes its code cache): cpu {cpu:.1f} ms, wall {wall:.1f} ms, '
                  f'rss {rss:.1f} MiB, exit {code}')
        rows = {label: [] for label in commands}
        print(f'{"run":<16} {"cpu_ms":>8} {"wall_ms":>9} {"rss_mib":>8} {"exit":>5}')
        for _ in range(args.runs):
            for label, argv in commands.items():
                cpu, wall, rss, code = measure(argv)
                rows[label].append((cpu, wall, rss))
                print(f'{label:<16} {cpu:8.1f} {wall:9.1f} {rss:8.1f} {code:5d}')
        counts = {}
        if args.callgrind:
            for label, argv in commands.items():
                counts[label] = instructions(argv, work, False)
            drop_code_cache()
            counts['db_check node20, no code cache'] = instructions(commands['db_check node20'], work, False)
            measure(commands['db_check node20'])

    def med(label, index):
        return statistics.median(row[index] for row in rows[label])

    verdict = lambda ok: 'ok' if ok else 'MISSED'
    bash_cpu = med('bash script', 0)
    print(f'== medians of {args.runs} runs, sample interval {args.sample_seconds} s, in cron\'s environment')
    for label in commands:
        print(f'{label:<16} cpu {med(label, 0):6.1f} ms  wall {med(label, 1):7.1f} ms  '
              f'peak RSS {max(row[2] for row in rows[label]):5.1f} MiB')
    for label in ('node -e 0', 'node floor', 'wave floor'):
        print(f'{label}: cpu {med(label, 0) / bash_cpu:.2f}x the bash script')
    for label in ('db_check node20', 'db_check node18'):
        ratio = med(label, 0) / bash_cpu
        peak = max(row[2] for row in rows[label])
        print(f'{label}: cpu {ratio:.2f}x the bash script (goal <= 1.5x) {verdict(ratio <= 1.5)}; '
              f'peak RSS {peak:.1f} MiB (goal <= 45 MiB) {verdict(peak <= 45)}')
    if counts:
        print('== instructions (valgrind callgrind, the process and every tool it ran), millions')
        for label, count in counts.items():
            print(f'{label:<32} {count:8.1f}M  {count / counts["bash script"]:5.2f}x the bash script')
    return 0


if __name__ == '__main__':
    sys.exit(main())
