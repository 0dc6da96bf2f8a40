"""What the Python benches share: cron's environment, a run's rusage, and instruction counts under valgrind's
callgrind."""
import glob
import os
import shutil
import subprocess
import time

# The environment cron gives a job (no NODE_EXTRA_CA_CERTS and the like, which cost every Node start).
CRON_ENV = {'PATH': '/usr/bin:/bin', 'HOME': os.environ.get('HOME', '/root'), 'SHELL': '/bin/sh', 'LANG': 'C.UTF-8'}


# Node 20.20 starts by searching for a random prime for V8's hash seed (HashSeed::InitializeRoots, the
# CVE-2026-21717 fix): 5M to 13M instructions, a different number every start, whatever the program does.
PRIME_SEARCH = 'v8::internal::HashSeed::InitializeRoots'


def rusage_run(argv, stdout_file=os.devnull):
    """Runs argv to completion in cron's environment, its output into stdout_file; returns what wait4 says of it and of
    the processes it reaped: {cpu_ms (user+sys), sys_ms, wall_ms, faults (minor page faults), peak_rss_mib, exit}."""
    started = time.perf_counter()
    with open(stdout_file, 'wb') as stdout:
        process = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL, env=CRON_ENV)
        _, status, usage = os.wait4(process.pid, 0)
    return {'cpu_ms': (usage.ru_utime + usage.ru_stime) * 1000, 'sys_ms': usage.ru_stime * 1000,
            'wall_ms': (time.perf_counter() - started) * 1000, 'faults': usage.ru_minflt,
            'peak_rss_mib': usage.ru_maxrss / 1024, 'exit': os.waitstatus_to_exitcode(status)}


def instructions(argv, work, must_succeed, stdout_file=None):
    """Instructions of argv and every process it starts, in millions, in cron's environment. `must_succeed`: a
    non-zero exit is an error (db_check exits 1-3 by design, the textfile writer 0). `stdout_file`: where argv's
    output goes (by default nowhere)."""
    return instruction_counts(argv, work, must_succeed, stdout_file)[0]


def instruction_counts(argv, work, must_succeed, stdout_file=None):
    """(instructions, of which Node's hash-seed prime search), in millions, as instructions() counts them."""
    out = os.path.join(work, 'callgrind')
    shutil.rmtree(out, ignore_errors=True)
    os.mkdir(out)
    with open(stdout_file or os.devnull, 'wb') as stdout:
        result = subprocess.run(['valgrind', '--tool=callgrind', '--trace-children=yes',
                                 f'--callgrind-out-file={out}/cg.%p', *argv], stdout=stdout, stderr=subprocess.PIPE,
                                env=CRON_ENV, check=False)
    if must_succeed and result.returncode != 0:
        raise SystemExit(f'{" ".join(argv)} failed: {result.stderr.decode()[-2000:]}')
    total = prime_search = 0
    for name in glob.glob(f'{out}/cg.*'):
        with open(name, encoding='utf8', errors='replace') as file:
            total += sum(int(line.split()[1]) for line in file if line.startswith('summary:'))
        annotated = subprocess.run(['callgrind_annotate', '--inclusive=yes', name], capture_output=True, text=True,
                                   check=True).stdout
        # The function's inclusive line: "7,468,481 ( 8.75%)  ???:v8::internal::HashSeed::InitializeRoots(...)".
        prime_search += next((int(line.split()[0].replace(',', '')) for line in annotated.splitlines()
                              if f':{PRIME_SEARCH}(' in line), 0)
    return total / 1e6, prime_search / 1e6
