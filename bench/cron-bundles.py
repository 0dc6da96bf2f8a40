#!/usr/bin/env python3
"""Instruction counts (valgrind callgrind, every process summed; repeatable on a busy machine, where CPU times are
not) of the cron bundle db_textfile in cron's environment, beside `node -e 0` in the same run:
  - on a host with `db_analyzer serve`: a fresh <state_dir>/last-report.json is written as the textfile (no
    collection, no driver or SQL parser loaded);
  - on a host without it: one collection (OS collectors; no database configured, so no driver is loaded either);
  - both with the code cache warm, written by a first run of the same path (a cache holds the functions of the run
    that wrote it; a host takes one path), and the second also without it (src/build-code-cache.ts).
An optional --baseline BUNDLE (e.g. another checkout's build/db_textfile.js) is measured collecting, as before.
Then, for what instructions leave out (the kernel's share: page faults, a few microseconds each in a VM), CPU time
(user+sys), minor page faults and peak RSS of the same runs, code cache warm, for --rounds rounds each (the baseline
alternately with this build's collecting run when given): medians.
usage: python3 bench/cron-bundles.py [--node PATH] [--baseline BUNDLE] [--rounds N]
"""
import argparse
import datetime
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

from benchlib import CRON_ENV, instruction_counts, rusage_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLE = os.path.join(ROOT, 'build', 'db_textfile.js')
# The build id in the name of this bundle's code cache files (its loader: src/build-code-cache.ts).
BUILD_ID = re.search(r"/db_textfile\.' \+ \"([0-9a-f]{16})\"", open(BUNDLE, encoding='latin1').read()).group(1)
FIXTURE = os.path.join(ROOT, 'test', 'fixtures', 'reports', 'analyzer-pg15-mariadb.json')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--node', default=shutil.which('node') or 'node')
    parser.add_argument('--baseline')
    parser.add_argument('--rounds', type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='cron-bundles-bench-') as work:
        state, empty, out = (os.path.join(work, name) for name in ('state', 'empty', 'out'))
        for directory in (state, empty, out):
            os.mkdir(directory)
        report = json.load(open(FIXTURE, encoding='utf8'))
        report['collected_at'] = datetime.datetime.now(datetime.timezone.utc).isoformat()
        with open(os.open(os.path.join(state, 'last-report.json'), os.O_WRONLY | os.O_CREAT, 0o600), 'w') as file:
            json.dump(report, file)
        configs = {}
        for label, directory in (('daemon', state), ('alone', empty)):
            configs[label] = os.path.join(work, f'{label}.json')
            with open(configs[label], 'w', encoding='utf8') as file:
                json.dump({'state_dir': directory, 'server': {'interval_seconds': 3600}}, file)
        run = lambda label: [args.node, BUNDLE, '--dir', out, '--config', configs[label]]
        cache_dir = '/var/cache/db_sentinel' if os.getuid() == 0 else f'{tempfile.gettempdir()}/db_sentinel-cache-{os.getuid()}'

        def drop_code_cache():
            """Removes this build's code cache (the baseline, another build, keeps its own)."""
            for name in glob.glob(os.path.join(cache_dir, f'db_textfile.{BUILD_ID}.*.v8cache')):
                os.remove(name)

        baseline = None
        if args.baseline:
            # The same config as this build's collecting run, or an empty one for a bundle that refuses it (one older
            # than state_dir, which has no daemon path either): a first run tells, and writes its code cache if it
            # has one.
            baseline = [args.node, args.baseline, '--dir', out, '--config', configs['alone']]
            baseline_title = f'baseline {os.path.basename(args.baseline)}, collecting'
            if subprocess.run(baseline, env=CRON_ENV, stderr=subprocess.DEVNULL).returncode != 0:
                baseline[-1] = os.path.join(work, 'baseline.json')
                with open(baseline[-1], 'w', encoding='utf8') as file:
                    json.dump({}, file)
                subprocess.run(baseline, env=CRON_ENV, check=True)
                baseline_title += ' (empty config)'
        rows = [('node -e 0', instruction_counts([args.node, '-e', '0'], work, True))]
        runs = {}
        # A code cache holds the functions of the run that wrote it: each path is measured with a cache its own first
        # run wrote, as on a host, which takes one path (serve there or not), not with one the other path left.
        for label, title in (('daemon', "db_textfile, serve's fresh report"), ('alone', 'db_textfile, collecting')):
            drop_code_cache()
            subprocess.run(run(label), env=CRON_ENV, check=True)  # writes the code cache
            rows.append((title, instruction_counts(run(label), work, True)))
            timed = {title: run(label), **({baseline_title: baseline} if baseline and label == 'alone' else {})}
            runs.update({name: [] for name in timed})
            for _ in range(args.rounds):
                for name, argv in timed.items():
                    measured = rusage_run(argv)
                    if measured['exit'] != 0:
                        raise SystemExit(f'{" ".join(argv)} exited {measured["exit"]}')
                    runs[name].append(measured)
        drop_code_cache()
        rows.append(('db_textfile, collecting, no code cache', instruction_counts(run('alone'), work, True)))
        drop_code_cache()
        if baseline:
            rows.append((baseline_title, instruction_counts(baseline, work, True)))
    version = subprocess.run([args.node, '--version'], capture_output=True, text=True).stdout.strip()
    print(f'== instructions, millions (valgrind callgrind; node {version}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}); '
          'beside them the same without Node 20.20\'s hash-seed prime search, whose length is random (benchlib.PRIME_SEARCH)')
    for title, (count, prime_search) in rows:
        print(f'{title:<48} {count:8.1f}M   without the prime search {count - prime_search:6.1f}M')
    print(f'== medians of {args.rounds} rounds, code cache warm (the baseline alternately with collecting): CPU ms (sys), '
          'minor page faults, peak RSS')
    for title, measured in runs.items():
        median = lambda key: statistics.median(run[key] for run in measured)
        print(f'{title:<48} {median("cpu_ms"):7.1f} ({median("sys_ms"):5.1f}) {median("faults"):8.0f} '
              f'{median("peak_rss_mib"):6.1f} MiB')
    return 0


if __name__ == '__main__':
    sys.exit(main())
