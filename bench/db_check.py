#!/usr/bin/env python3
"""Benchmark of db_check (build/db_check.js) beside the plan's bash script doing the same work (bench/db_check.sh: the
same tools over the same interval, the same verdicts, Nagios output) all run alternately in the same loop so that they
see the same machine load, in cron's environment; beside them `node -e 0`, the floor of any Node db_check
(bench/node-floor.js: Node running the same four tools with child_process.spawn, nothing else) and the floor of
db_check's way (bench/node-wave-floor.js: the same four tools under one /bin/sh launcher, as src/sources/wave.ts runs
them), by Node 20 and by Node 18.20. db_check runs as the formula deploys it, through its cron launcher from a copy of
build/ in a temporary bin directory (`/bin/sh BIN/db_check.sh SNAPSHOT_DIR NODE BIN/db_check.js --config FILE`,
SNAPSHOT_DIR written by `db_check --build-snapshot` in a temporary directory): on Node 18.20 (node_modules/node18) from
its V8 startup snapshot (the blob's size is printed, and the bench checks that every run started from it: see
blob_identity), on Node 20 (PATH's node, which declines the snapshot) from the bundle and its code cache; and, for
comparison, the bundle run directly by both Nodes. Code cache warm (the cold first run is shown apart; a run during
which the cache was rewritten is marked, see code_cache_identity), the config as Salt renders it (JSON). For each run:
CPU time (user+sys of the process and of every tool it ran and reaped: vmstat, iostat, free, systemctl; from wait4's
rusage), wall time, and peak RSS. Then medians and the goals, judged for the launcher rows (as deployed) and printed for
the direct rows as information:
  db_check CPU <= 1.5x the bash script's: the verdict uses the median of the per-round ratios (each round's db_check
  CPU over the same round's bash CPU; a load change between rounds moves both sides of a ratio alike), printed
  beside the ratio of the medians;
  peak RSS <= 45 MiB;
  no database driver (pg, mysql2), no prom-client and no js-yaml evaluated on the hot path (the bundle is checked
  for the drivers; js-yaml loads only for a YAML config).
CPU time on a shared machine moves with the load of others; `--callgrind` adds instruction counts (valgrind, every
process of the run summed, the launcher's sh included), which repeat to a few per cent whatever the load, but count
user space only: the kernel's share (sys, printed apart in the medians; for one, the page faults of reading a 3.2 MB
snapshot blob) is in the CPU times alone. A blob built natively is rejected under valgrind (V8's flag hash differs
under its CPU emulation): the callgrind rows start from a blob that `db_check --build-snapshot` built under valgrind.
`--other-node LABEL=PATH` (repeatable) adds another node for information, with the same three rows as Node 18.20
(the one-launcher floor, db_check through its launcher and snapshot directory, the bundle): another build of Node,
such as Debian's nodejs (built without Node's startup snapshot and code cache), installed where it runs.
usage: python3 bench/db_check.py [--runs N] [--node PATH] [--node18 PATH] [--other-node LABEL=PATH]...
                                 [--sample-seconds N] [--callgrind]
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

from benchlib import CRON_ENV, instruction_counts, rusage_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLE = os.path.join(ROOT, 'build', 'db_check.js')
LAUNCHER = os.path.join(ROOT, 'build', 'db_check.sh')
BASH_SCRIPT = os.path.join(ROOT, 'bench', 'db_check.sh')
NODE_FLOOR = os.path.join(ROOT, 'bench', 'node-floor.js')
NODE_WAVE_FLOOR = os.path.join(ROOT, 'bench', 'node-wave-floor.js')
NODE18 = os.path.join(ROOT, 'node_modules', 'node18', 'bin', 'node')
FORBIDDEN = ['pg', 'mysql2', 'prom-client']
# The blob's name in a snapshot directory (SNAPSHOT_FILES in src/sources/startup-snapshot.ts, build/db_check.sh).
BLOB = 'db_check.blob'

# cron's environment: nothing else. An inherited NODE_EXTRA_CA_CERTS, for one, costs node ~50 ms of CPU at start-up
# (it loads the certificates), which would drown what db_check itself costs.


def measure(argv, stdout_file=os.devnull):
    """Runs argv as rusage_run does; returns (cpu_ms, wall_ms, peak_rss_mib, exit_code, sys_ms)."""
    run = rusage_run(argv, stdout_file)
    return run['cpu_ms'], run['wall_ms'], run['peak_rss_mib'], run['exit'], run['sys_ms']


def code_cache_dir():
    return '/var/cache/db_sentinel' if os.getuid() == 0 else f'{tempfile.gettempdir()}/db_sentinel-cache-{os.getuid()}'


def drop_code_cache():
    for name in glob.glob(os.path.join(code_cache_dir(), 'db_check.*.v8cache')):
        os.remove(name)


def code_cache_identity():
    """db_check's code cache files and their (inode, mtime): a run that changed them compiled cold (V8 rejected the
    cache, or it was gone) or ran beside another process writing it (another checkout's build of db_check, as root
    sharing /var/cache/db_sentinel, removes caches of other builds written over a week ago)."""
    identity = {}
    for name in glob.glob(os.path.join(code_cache_dir(), 'db_check.*.v8cache')):
        try:
            stat = os.stat(name)
        except FileNotFoundError:
            continue  # removed between the listing and the stat: not there
        identity[name] = (stat.st_ino, stat.st_mtime_ns)
    return identity


def checked(stdout_file):
    """Whether the run printed the status line of a check that ran (its performance data), not an error before the
    checks (a usage or config error is a DB_SENTINEL UNKNOWN line too). A run whose blob node rejected prints one as
    well, from the bundle the launcher then runs: the blob's identity, removed then, tells those apart."""
    with open(stdout_file, 'rb') as file:
        first = file.readline()
    return first.startswith(b'DB_SENTINEL ') and b' | run_queue=' in first


def blob_identity(directory):
    """The blob's (inode, mtime, size), or None without one: the launcher removes the blob when node cannot start
    from it (an exit status other than 20-23) and replaces it (a new inode) when its links are stale; an unchanged
    identity and db_check's output from every run mean that every run started from it."""
    try:
        stat = os.stat(os.path.join(directory, BLOB))
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def build_snapshot(node, bundle, directory):
    """`db_check --build-snapshot DIR` as the formula runs it; returns its message."""
    result = subprocess.run([node, bundle, '--build-snapshot', directory], capture_output=True, text=True,
                            env=CRON_ENV, check=False)
    if result.returncode != 0:
        raise SystemExit(f'{node} {bundle} --build-snapshot {directory} failed: {result.stderr[-2000:]}')
    return result.stdout.strip()


def build_snapshot_under_valgrind(node, bundle, directory):
    """The same snapshot directory with a blob built under valgrind, the only kind node accepts under valgrind:
    `db_check --build-snapshot` and the node it starts (with db_check's own V8 flags) both under valgrind."""
    subprocess.run(['valgrind', '--tool=none', '--trace-children=yes', node, bundle, '--build-snapshot', directory],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CRON_ENV, check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--runs', type=int, default=20)
    parser.add_argument('--node', default=shutil.which('node') or 'node')
    parser.add_argument('--node18', default=NODE18)
    parser.add_argument('--other-node', action='append', default=[], metavar='LABEL=PATH')
    parser.add_argument('--sample-seconds', type=int, default=1)
    parser.add_argument('--callgrind', action='store_true')
    args = parser.parse_args()

    bundle = open(BUNDLE, encoding='latin1').read()
    print(f'== bundle {os.path.relpath(BUNDLE, ROOT)}: {len(bundle)} bytes')
    bad = [module for module in FORBIDDEN if f'node_modules/{module}/' in bundle]
    print(f'modules pg, mysql2, prom-client in the bundle: {", ".join(bad) if bad else "none"}  '
          f'{"MISSED" if bad else "ok"}')
    others = {}
    for value in args.other_node:
        label, _, path = value.partition('=')
        if not label or not path or label in ('node18', 'node20') or not os.access(path, os.X_OK):
            raise SystemExit(f'--other-node {value!r}: expected LABEL=PATH, a label other than node18 and node20 and '
                             'the path of an executable node')
        others[label] = path
    nodes = {'node20': args.node, 'node18': args.node18, **others}
    versions = {label: subprocess.run([node, '--version'], capture_output=True, text=True).stdout.strip()
                for label, node in nodes.items()}
    print(f'machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; '
          f'node {versions["node20"]} and {versions["node18"]}; bash {os.path.realpath("/bin/bash")}'
          + ''.join(f'; {label}: {nodes[label]} {versions[label]}' for label in others))

    verdict = lambda ok: 'ok' if ok else 'MISSED'
    # The formula's cron job: the launcher, on each Node, with that Node's snapshot directory.
    deployed = {'node18': 'db_check node18 (launcher, startup snapshot)', 'node20': 'db_check node20 (launcher)',
                **{label: f'db_check {label} (launcher)' for label in others}}
    direct = {'node20': 'db_check node20 (bundle)', 'node18': 'db_check node18 (bundle)',
              **{label: f'db_check {label} (bundle)' for label in others}}
    with tempfile.TemporaryDirectory(prefix='db_check-bench-') as work:
        # As the formula deploys them: the bundle and its launcher alone in a directory (bin_dir) with no package.json
        # above it. Run from the checkout, Node would read the project's package.json for the bundle's module type:
        # ~0.7M instructions a run that no host pays.
        bin_dir = os.path.join(work, 'bin')
        os.mkdir(bin_dir)
        bundle_file = shutil.copy2(BUNDLE, bin_dir)
        launcher = shutil.copy2(LAUNCHER, bin_dir)
        config = os.path.join(work, 'config.yml')
        with open(config, 'w', encoding='utf8') as file:
            json.dump({'check': {'sample_seconds': args.sample_seconds, 'lock_file': f'{work}/db_check.lock'}}, file)
        snapshot_dirs = {label: os.path.join(work, f'snapshot-{label}') for label in nodes}
        blobs = {}
        for label, node in nodes.items():
            print(f'{label} --build-snapshot: {build_snapshot(node, bundle_file, snapshot_dirs[label])}')
            blobs[label] = blob_identity(snapshot_dirs[label])
            print(f'{label} snapshot directory: ' + (f'blob {blobs[label][2]} bytes' if blobs[label] else 'no blob'))
        if blobs['node18'] is None:
            print(f'{deployed["node18"]}: no blob was built for Node 18  MISSED')
        launch = lambda label, directory: ['/bin/sh', launcher, directory, nodes[label], bundle_file,
                                           '--config', config]
        commands = {
            'bash script': ['/bin/bash', BASH_SCRIPT, str(args.sample_seconds)],
            'node -e 0': [args.node, '-e', '0'],
            'node floor': [args.node, NODE_FLOOR, str(args.sample_seconds)],
            'wave floor': [args.node, NODE_WAVE_FLOOR, str(args.sample_seconds)],
            # Node 18.20's own start costs more than Node 20's: the floor db_check's snapshot run competes with there.
            'wave floor node18': [args.node18, NODE_WAVE_FLOOR, str(args.sample_seconds)],
            direct['node20']: [args.node, bundle_file, '--config', config],
            direct['node18']: [args.node18, bundle_file, '--config', config],
            deployed['node18']: launch('node18', snapshot_dirs['node18']),
            deployed['node20']: launch('node20', snapshot_dirs['node20']),
        }
        for label, node in others.items():
            commands[f'wave floor {label}'] = [node, NODE_WAVE_FLOOR, str(args.sample_seconds)]
            commands[direct[label]] = [node, bundle_file, '--config', config]
            commands[deployed[label]] = launch(label, snapshot_dirs[label])
        width = max(len(label) for label in commands)
        drop_code_cache()
        for label in direct.values():
            cpu, wall, rss, code, _ = measure(commands[label])
            print(f'{label} first run (compiles, writes its code cache): cpu {cpu:.1f} ms, wall {wall:.1f} ms, '
                  f'rss {rss:.1f} MiB, exit {code}')
        rows = {label: [] for label in commands}
        output = os.path.join(work, 'stdout')
        rewrites = 0
        print(f'{"run":<{width}} {"cpu_ms":>8} {"wall_ms":>9} {"rss_mib":>8} {"exit":>5}')
        for _ in range(args.runs):
            for label, argv in commands.items():
                caches = code_cache_identity()
                cpu, wall, rss, code, sys_cpu = measure(argv, output)
                rewritten = code_cache_identity() != caches
                rewrites += rewritten
                rows[label].append((cpu, wall, rss, code, sys_cpu, checked(output)))
                print(f'{label:<{width}} {cpu:8.1f} {wall:9.1f} {rss:8.1f} {code:5d}'
                      f'{"  code cache rewritten" if rewritten else ""}')
        print(f'runs during which db_check\'s code cache was rewritten (the run found it rejected or removed and '
              f'compiled cold, or another process wrote it): {rewrites} of {args.runs * len(commands)}')
        for label in nodes:
            if blobs[label] is None:
                continue
            exits = sorted({row[3] for row in rows[deployed[label]]})
            kept = blob_identity(snapshot_dirs[label]) == blobs[label]
            printed = sum(row[5] for row in rows[deployed[label]])
            print(f'{deployed[label]}: the blob is still the one built: {"yes" if kept else "no"}, exit codes '
                  f'{exits}, db_check\'s status line printed by {printed} of {args.runs} runs: every run started '
                  f'from the snapshot {verdict(kept and max(exits) <= 3 and printed == args.runs)}')
        counts = {}
        if args.callgrind:
            callgrind_commands = dict(commands)
            valgrind_blobs = {}
            for label in (label for label in nodes if blobs[label] is not None):
                directory = os.path.join(work, f'snapshot-{label}-valgrind')
                build_snapshot_under_valgrind(nodes[label], bundle_file, directory)
                valgrind_blobs[label] = (directory, blob_identity(directory))
                callgrind_commands[deployed[label]] = launch(label, directory)
            printed = {}
            for label, argv in callgrind_commands.items():
                counts[label] = instruction_counts(argv, work, False, output)
                printed[label] = checked(output)
            for label, (directory, identity) in valgrind_blobs.items():
                ok = blob_identity(directory) == identity and printed[deployed[label]]
                print(f'{deployed[label]} under callgrind started from its valgrind-built blob '
                      f'({identity[2]} bytes) and printed db_check\'s status line: {verdict(ok)}')
            drop_code_cache()
            counts[f'{direct["node20"]}, no code cache'] = instruction_counts(commands[direct['node20']], work, False)
            measure(commands[direct['node20']])

    def med(label, index):
        return statistics.median(row[index] for row in rows[label])

    bash_cpu = med('bash script', 0)
    print(f'== medians of {args.runs} runs, sample interval {args.sample_seconds} s, in cron\'s environment')
    for label in commands:
        print(f'{label:<{width}} cpu {med(label, 0):6.1f} ms (sys {med(label, 4):4.1f})  wall {med(label, 1):7.1f} ms  '
              f'peak RSS {max(row[2] for row in rows[label]):5.1f} MiB')

    def paired(label, baseline='bash script'):
        """The median and quartiles of each round's CPU over the same round's CPU of the baseline."""
        ratios = [row[0] / base[0] for row, base in zip(rows[label], rows[baseline])]
        quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
        return statistics.median(ratios), f'[{quartiles[0]:.2f}-{quartiles[2]:.2f}]'

    print('== CPU over the bash script\'s: median of the per-round ratios [quartiles] (ratio of the medians)')
    for label in ('node -e 0', 'node floor', 'wave floor', 'wave floor node18', direct['node20'], direct['node18']):
        ratio, spread = paired(label)
        goal = ''
        if label in direct.values():
            peak = max(row[2] for row in rows[label])
            goal = (f'  information: goal <= 1.5x {verdict(ratio <= 1.5)}, peak RSS {peak:.1f} MiB '
                    f'{verdict(peak <= 45)}')
        print(f'{label:<{width}} {ratio:.2f}x {spread} ({med(label, 0) / bash_cpu:.2f}x){goal}')
    print("== the goals, db_check as the formula deploys it (its launcher, build/db_check.sh)")
    for label in (deployed['node18'], deployed['node20']):
        ratio, spread = paired(label)
        peak = max(row[2] for row in rows[label])
        print(f'{label}: cpu {ratio:.2f}x the bash script {spread} (ratio of the medians '
              f'{med(label, 0) / bash_cpu:.2f}x; goal <= 1.5x) {verdict(ratio <= 1.5)}; '
              f'peak RSS {peak:.1f} MiB (goal <= 45 MiB) {verdict(peak <= 45)}')
    for node in ('node18', 'node20'):
        ratio, spread = paired(deployed[node], direct[node])
        print(f'{deployed[node]}: cpu {ratio:.2f}x {direct[node]} {spread} (median of the per-round ratios)')
    if others:
        print('== other nodes, for information: CPU over the bash script\'s, median of the per-round ratios [quartiles] '
              '(ratio of the medians)')
        for label in others:
            for row in (f'wave floor {label}', deployed[label], direct[label]):
                ratio, spread = paired(row)
                print(f'{row:<{width}} {ratio:.2f}x {spread} ({med(row, 0) / bash_cpu:.2f}x), peak RSS '
                      f'{max(entry[2] for entry in rows[row]):.1f} MiB')
            ratio, spread = paired(deployed[label], direct[label])
            print(f'{deployed[label]}: cpu {ratio:.2f}x {direct[label]} {spread} (median of the per-round ratios)')
    if counts:
        print('== instructions (valgrind callgrind, the process and every process it ran), millions; beside them the '
              'same without Node 20.20\'s hash-seed prime search, whose length is random (benchlib.PRIME_SEARCH)')
        count_width = max(len(label) for label in counts)
        bash_count = counts['bash script'][0]
        for label, (count, prime_search) in counts.items():
            print(f'{label:<{count_width}} {count:8.1f}M  {count / bash_count:5.2f}x the bash script   '
                  f'without the prime search {count - prime_search:6.1f}M')
    return 0


if __name__ == '__main__':
    sys.exit(main())
