#!/usr/bin/env python3
"""Instruction counts (valgrind callgrind, every process summed; repeatable on a busy machine, where CPU times are
not) of the cron bundle db_textfile in cron's environment, beside `node -e 0` in the same run:
  - on a host with `db_analyzer serve`: a fresh <state_dir>/last-report.json is written as the textfile (no
    collection, no driver or SQL parser loaded);
  - on a host without it: one collection (OS collectors; no database configured, so no driver is loaded either);
  - both with the code cache warm, and the second also without it (src/build-code-cache.ts).
An optional --baseline BUNDLE (e.g. another checkout's build/db_textfile.js) is measured collecting, as before.
Then, for what instructions leave out (the kernel's share: page faults, a few microseconds each in a VM), CPU time
(user+sys), minor page faults and peak RSS of the same runs, code cache warm, alternately for --rounds rounds (the
baseline collecting in the same loop when given): medians.
usage: python3 bench/cron-bundles.py [--node PATH] [--baseline BUNDLE] [--rounds N]
"""
import argparse
import datetime
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from benchlib import CRON_ENV, instructions, rusage_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLE = os.path.join(ROOT, 'build', 'db_textfile.js')
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
        rows = [('node -e 0', instructions([args.node, '-e', '0'], work, True))]
        for label, title in (('daemon', "db_textfile, serve's fresh report"), ('alone', 'db_textfile, collecting')):
            subprocess.run(run(label), env=CRON_ENV, check=True)  # writes the code cache
            rows.append((title, instructions(run(label), work, True)))
        cache_dir = '/var/cache/db_sentinel' if os.getuid() == 0 else f'{tempfile.gettempdir()}/db_sentinel-cache-{os.getuid()}'
        for name in glob.glob(os.path.join(cache_dir, 'db_textfile.*.v8cache')):
            os.remove(name)
        rows.append(('db_textfile, collecting, no code cache', instructions(run('alone'), work, True)))
        timed = {"db_textfile, serve's fresh report": run('daemon'), 'db_textfile, collecting': run('alone')}
        if args.baseline:
            # The same config as this build's collecting run, or an empty one for a bundle that refuses it (one older
            # than state_dir, which has no daemon path either): a first run tells, and writes its code cache if it
            # has one, before callgrind counts it.
            baseline = [args.node, args.baseline, '--dir', out, '--config', configs['alone']]
            title = f'baseline {os.path.basename(args.baseline)}, collecting'
            if subprocess.run(baseline, env=CRON_ENV, stderr=subprocess.DEVNULL).returncode != 0:
                baseline[-1] = os.path.join(work, 'baseline.json')
                with open(baseline[-1], 'w', encoding='utf8') as file:
                    json.dump({}, file)
                subprocess.run(baseline, env=CRON_ENV, check=True)
                title += ' (empty config)'
            rows.append((title, instructions(baseline, work, True)))
            timed[title] = baseline
        for argv in timed.values():
            subprocess.run(argv, env=CRON_ENV, check=True)  # (re)writes each code cache
        runs = {title: [] for title in timed}
        for _ in range(args.rounds):
            for title, argv in timed.items():
                measured = rusage_run(argv)
                if measured['exit'] != 0:
                    raise SystemExit(f'{" ".join(argv)} exited {measured["exit"]}')
                runs[title].append(measured)
    version = subprocess.run([args.node, '--version'], capture_output=True, text=True).stdout.strip()
    print(f'== instructions, millions (valgrind callgrind; node {version}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})')
    for title, count in rows:
        print(f'{title:<48} {count:8.1f}M')
    print(f'== medians of {args.rounds} rounds, alternately, code cache warm: CPU ms (sys), minor page faults, peak RSS')
    for title, measured in runs.items():
        median = lambda key: statistics.median(run[key] for run in measured)
        print(f'{title:<48} {median("cpu_ms"):7.1f} ({median("sys_ms"):5.1f}) {median("faults"):8.0f} '
              f'{median("peak_rss_mib"):6.1f} MiB')
    return 0


if __name__ == '__main__':
    sys.exit(main())
