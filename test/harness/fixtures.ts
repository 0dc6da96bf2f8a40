// Reads fixture files of real command output (test/fixtures/cmd/<tool>/<version>-<case>.txt, each with a .source
// sidecar saying where it came from). A fixture without its .source is an error: every one must say.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function commandFixture(tool: string, name: string): string {
  const path = join(FIXTURES, 'cmd', tool, name);
  if (!existsSync(`${path}.source`)) throw new Error(`fixture ${path} has no .source file saying where it came from`);
  return readFileSync(path, 'utf8');
}

export function commandFixturePath(tool: string, name: string): string {
  return join(FIXTURES, 'cmd', tool, name);
}
