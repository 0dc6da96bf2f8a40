#!/usr/bin/env python3
"""Benchmark of db_check (build/db_check.js) beside `node -e 0`, run alternately in the same loop so that both see
the same machine load. For each run: CPU time (user+sys of node and of every tool it ran and reaped: vmstat, iostat,
free, systemctl; from wait4's rusage, microsecond resolution), wall time, and peak RSS. Then medians and the goals:
  cpu within 15 ms of node -e 0;
  wall within 6% of the sample interval (db_check's wall minus the interval minus node -e 0's wall);
  peak RSS <= 55 MiB;
  no database driver (pg, mysql2) and no prom-client in the bundle.
usage: python3 bench/db_check.py [--runs N] [--node PATH] [--sample-seconds N]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLE = os.path.join(ROOT, 'build', 'db_check.js')
FORBIDDEN = ['pg', 'mysql2', 'prom-client']


# cron's environment: nothing else. An inherited NODE_EXTRA_CA_CERTS, for one, costs node ~50 ms of CPU at start-up
# (it loads the certificates), which would drown what db_check itself costs.
CRON_ENV = {'PATH': '/usr/bin:/bin', 'HOME': os.environ.get('HOME', '/root'), 'SHELL': '/bin/sh', 'LANG': 'C.UTF-8'}


def measure(argv):
    """Runs argv to completion in cron's environment; returns (cpu_ms, wall_ms, peak_rss_mib, exit_code)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CRON_ENV)
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    process.returncode = os.waitstatus_to_exitcode(status)
    return (usage.ru_utime + usage.ru_stime) * 1000, wall, usage.ru_maxrss / 1024, process.returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--node', default=shutil.which('node') or 'node')
    parser.add_argument('--sample-seconds', type=int, default=1)
    args = parser.parse_args()

    bundle = open(BUNDLE, encoding='utf8').read()
    print(f'== bundle {os.path.relpath(BUNDLE, ROOT)}: {len(bundle.encode())} bytes')
    bad = [module for module in FORBIDDEN if f'node_modules/{module}/' in bundle]
    print(f'modules pg, mysql2, prom-client in the bundle: {", ".join(bad) if bad else "none"}  '
          f'{"MISSED" if bad else "ok"}')
    version = subprocess.run([args.node, '--version'], capture_output=True, text=True).stdout.strip()

    with tempfile.TemporaryDirectory(prefix='db_check-bench-') as work:
        config = os.path.join(work, 'config.yml')
        with open(config, 'w', encoding='utf8') as file:
            file.write(f'check:\n  sample_seconds: {args.sample_seconds}\n  lock_file: {work}/db_check.lock\n')
        # The tools db_check runs, run directly (systemctl as on a host without systemd: it answers at once).
        tools = [['vmstat', str(args.sample_seconds), '2'],
                 ['iostat', '-d', '-x', '-k', '-y', '-o', 'JSON', str(args.sample_seconds), '1'],
                 ['free', '-m'],
                 ['systemctl', 'list-units', '--type=service', '--all', '--plain', '--no-legend', '--no-pager',
                  'postgresql.service']]
        rows = {'node -e 0': [], 'db_check': [], 'tools': []}
        print(f'{"run":<10} {"cpu_ms":>8} {"wall_ms":>9} {"rss_mib":>8} {"exit":>5}')
        for _ in range(args.runs):
            for label, argv in (('node -e 0', [args.node, '-e', '0']),
                                ('db_check', [args.node, BUNDLE, '--config', config])):
                cpu, wall, rss, code = measure(argv)
                rows[label].append((cpu, wall, rss))
                print(f'{label:<10} {cpu:8.1f} {wall:9.1f} {rss:8.1f} {code:5d}')
            tool_cpu = sum(measure(tool)[0] for tool in tools)
            rows['tools'].append((tool_cpu, 0, 0))
            print(f'{"tools":<10} {tool_cpu:8.1f}')

    def med(label, index):
        return statistics.median(row[index] for row in rows[label])

    sample_ms = args.sample_seconds * 1000
    base_cpu, base_wall = med('node -e 0', 0), med('node -e 0', 1)
    cpu, wall = med('db_check', 0), med('db_check', 1)
    peak = max(row[2] for row in rows['db_check'])
    cpu_over = cpu - base_cpu
    wall_over = wall - sample_ms - base_wall
    print(f'== medians of {args.runs} runs, node {version}, sample interval {args.sample_seconds} s')
    print(f'node -e 0: cpu {base_cpu:.1f} ms, wall {base_wall:.1f} ms')
    print(f'db_check:  cpu {cpu:.1f} ms, wall {wall:.1f} ms, peak RSS {peak:.1f} MiB')
    verdict = lambda ok: 'ok' if ok else 'MISSED'
    tool_cpu = med('tools', 0)
    own_over = cpu_over - tool_cpu
    print(f'cpu over node -e 0: {cpu_over:.1f} ms, of which the tools themselves (vmstat, iostat, free, systemctl '
          f'run directly) {tool_cpu:.1f} ms')
    print(f'cpu over node -e 0 without the tools: {own_over:.1f} ms (goal <= 15 ms) {verdict(own_over <= 15)}')
    print(f'cpu over node -e 0 with the tools: {cpu_over:.1f} ms (goal <= 15 ms) {verdict(cpu_over <= 15)}')
    print(f'wall over interval + node -e 0: {wall_over:.1f} ms = {wall_over / sample_ms * 100:.1f}% of the interval '
          f'(goal <= 6%) {verdict(wall_over <= 0.06 * sample_ms)}')
    print(f'wall over the interval alone: {wall - sample_ms:.1f} ms = {(wall - sample_ms) / sample_ms * 100:.1f}%')
    print(f'peak RSS: {peak:.1f} MiB (goal <= 55 MiB) {verdict(peak <= 55)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
