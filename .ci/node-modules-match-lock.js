// Exits 0 when node_modules holds exactly what package-lock.json locks for this platform (npm's record of the
// installed tree, node_modules/.package-lock.json, has the same packages at the same versions and integrity) and the
// lock is package.json's, 1 otherwise, naming the first difference. .ci/install runs `npm ci` only when this fails, so a second run only checks.
'use strict';
const { readFileSync } = require('node:fs');

function packages(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).packages;
  } catch (error) {
    return { error: `cannot read ${file}: ${error.code ?? error.message}` };
  }
}

// A package for another OS or CPU (embedded PostgreSQL's darwin/windows builds) is locked but never installed here.
const forThisPlatform = (entry) =>
  (!entry.os || entry.os.includes(process.platform)) && (!entry.cpu || entry.cpu.includes(process.arch));

function difference() {
  const locked = packages('package-lock.json');
  const installed = packages('node_modules/.package-lock.json');
  if (locked.error) return locked.error;
  if (installed.error) return installed.error;
  // package.json edited without a new lock: npm ci must run (and refuse) rather than be skipped.
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    if (JSON.stringify(manifest[field] ?? {}) !== JSON.stringify(locked[''][field] ?? {})) {
      return `package.json's ${field} differ from the lock's`;
    }
  }
  for (const [path, entry] of Object.entries(locked)) {
    if (path === '' || !forThisPlatform(entry)) continue;
    const present = installed[path];
    if (!present) return `${path} is not installed`;
    if (present.version !== entry.version || present.integrity !== entry.integrity) {
      return `${path} is ${present.version}, the lock has ${entry.version}`;
    }
  }
  const extra = Object.keys(installed).find((path) => !(path in locked) || !forThisPlatform(locked[path]));
  return extra === undefined ? undefined : `${extra} is installed but not locked`;
}

const found = difference();
if (found !== undefined) {
  process.stdout.write(`node_modules differs from package-lock.json: ${found}\n`);
  process.exit(1);
}
