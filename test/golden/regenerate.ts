// Regenerates the golden outputs on purpose: `node --require ./test/harness/register.js test/golden/regenerate.ts`.
// Review the diff before committing it: a change here is a change every dashboard and alert sees.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenOutputs } from './outputs';

goldenOutputs().then(
  (outputs) => {
    for (const [file, text] of Object.entries(outputs)) {
      writeFileSync(join(__dirname, file), text);
      process.stdout.write(`wrote test/golden/${file}\n`);
    }
  },
  (error: unknown) => {
    process.stderr.write(`regenerate failed: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
