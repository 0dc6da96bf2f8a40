"""What the Python benches share: cron's environment and instruction counts under valgrind's callgrind."""
import glob
import os
import shutil
import subprocess

# The environment cron gives a job (no NODE_EXTRA_CA_CERTS and the like, which cost every Node start).
CRON_ENV = {'PATH': '/usr/bin:/bin', 'HOME': os.environ.get('HOME', '/root'), 'SHELL': '/bin/sh', 'LANG': 'C.UTF-8'}


def instructions(argv, work, must_succeed, stdout_file=None):
    """Instructions of argv and every process it starts, in millions, in cron's environment. `must_succeed`: a
    non-zero exit is an error (db_check exits 1-3 by design, the textfile writer 0). `stdout_file`: where argv's
    output goes (by default nowhere)."""
    out = os.path.join(work, 'callgrind')
    shutil.rmtree(out, ignore_errors=True)
    os.mkdir(out)
    with open(stdout_file or os.devnull, 'wb') as stdout:
        result = subprocess.run(['valgrind', '--tool=callgrind', '--trace-children=yes',
                                 f'--callgrind-out-file={out}/cg.%p', *argv], stdout=stdout, stderr=subprocess.PIPE,
                                env=CRON_ENV, check=False)
    if must_succeed and result.returncode != 0:
        raise SystemExit(f'{" ".join(argv)} failed: {result.stderr.decode()[-2000:]}')
    total = 0
    for name in glob.glob(f'{out}/cg.*'):
        with open(name, encoding='utf8', errors='replace') as file:
            total += sum(int(line.split()[1]) for line in file if line.startswith('summary:'))
    return total / 1e6
