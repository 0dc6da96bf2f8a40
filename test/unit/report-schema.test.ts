// The JSON Schema is generated from src/core/report.ts at build time (src/build-schema.ts): the committed file must be
// what a fresh generation gives; fixtures and golden files validate against it.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import schema from '../../src/core/report.schema.json';
import { generateReportSchema } from '../../src/build-schema';
import { SCHEMA_VERSION } from '../../src/core/report';
import { assertValidReport } from '../harness/report-schema';
import { fixtureReport } from '../harness/fixture-report';

interface JsonSchemaNode {
  properties?: Record<string, unknown>;
  additionalProperties?: unknown;
  enum?: unknown[];
}

const ROOT = join(__dirname, '..', '..');
const definitions = (schema as unknown as { definitions: Record<string, JsonSchemaNode> }).definitions;

describe('report.schema.json', () => {
  it('is what src/build-schema.ts generates from src/core/report.ts now (run `npm run build` and commit it)', () => {
    const committed = readFileSync(join(ROOT, 'src', 'core', 'report.schema.json'), 'utf8');
    assert.ok(committed === generateReportSchema(), 'src/core/report.schema.json is stale: run npm run build and commit it');
  });

  it('has a definition for every interface and type alias the report is made of, each closed', () => {
    for (const name of ['CheckResult', 'OsReport', 'DatabaseReport', 'SlowQuery', 'PostgresHealth', 'MysqlHealth', 'Status']) {
      assert.ok(definitions[name], `no definition for ${name}`);
    }
    for (const [name, node] of Object.entries(definitions)) {
      if (node.properties) assert.equal(node.additionalProperties, false, `${name} is open`);
    }
    assert.deepEqual(definitions.Status?.enum, ['ok', 'warning', 'critical', 'unknown']);
  });

  it('pins schema_version to SCHEMA_VERSION', () => {
    assert.deepEqual((schema as { properties: Record<string, unknown> }).properties.schema_version, { const: SCHEMA_VERSION });
  });

  it('accepts every report fixture and the golden report', () => {
    const dir = join(ROOT, 'test', 'fixtures', 'reports');
    const files = readdirSync(dir).filter((file) => file.endsWith('.json'));
    assert.ok(files.length > 0);
    for (const file of files) assertValidReport(JSON.parse(readFileSync(join(dir, file), 'utf8')), file);
    assertValidReport(JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'report.json'), 'utf8')), 'golden report.json');
  });

  it('rejects a report with a misspelt status, a missing key or an unknown key', () => {
    const badStatus = fixtureReport() as unknown as { checks: { status: string }[] };
    badStatus.checks[0]!.status = 'OK';
    assert.throws(() => assertValidReport(badStatus, 'bad status'), /status/);
    const missing = fixtureReport() as unknown as Record<string, unknown>;
    delete missing.collected_at;
    assert.throws(() => assertValidReport(missing, 'missing'), /collected_at/);
    const extra = fixtureReport() as unknown as { os: Record<string, unknown> };
    extra.os.loadavg = 1;
    assert.throws(() => assertValidReport(extra, 'extra'), /additional/);
  });
});
