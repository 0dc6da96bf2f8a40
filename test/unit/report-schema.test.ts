// The JSON Schema is kept in sync with src/core/report.ts: every interface has a definition with the same
// properties and the same required ones, every string union the same values; fixtures and golden files validate.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import schema from '../../src/core/report.schema.json';
import { SCHEMA_VERSION } from '../../src/core/report';
import { assertValidReport } from '../harness/report-schema';
import { fixtureReport } from '../harness/fixture-report';

interface JsonSchemaNode {
  properties?: Record<string, unknown>;
  required?: string[];
  enum?: unknown[];
}

const ROOT = join(__dirname, '..', '..');
const definitions = (schema as unknown as { definitions: Record<string, JsonSchemaNode> }).definitions;

function schemaNode(name: string): JsonSchemaNode | undefined {
  return name === 'Report' ? (schema as JsonSchemaNode) : definitions[name];
}

describe('report.schema.json', () => {
  const source = ts.createSourceFile('report.ts', readFileSync(join(ROOT, 'src', 'core', 'report.ts'), 'utf8'),
    ts.ScriptTarget.ES2022, true);

  it('has the properties and required keys of every interface in report.ts', () => {
    let interfaces = 0;
    const declarations = new Map(source.statements.filter(ts.isInterfaceDeclaration).map((item) => [item.name.text, item]));
    // Own properties plus those of the interfaces it extends (TuningComparison extends DriftItem).
    const membersOf = (declaration: ts.InterfaceDeclaration): ts.PropertySignature[] => [
      ...(declaration.heritageClauses ?? []).flatMap((clause) => clause.types.flatMap((type) => {
        const base = declarations.get(type.expression.getText(source));
        assert.ok(base, `${declaration.name.text} extends an interface outside report.ts`);
        return membersOf(base);
      })),
      ...declaration.members.filter(ts.isPropertySignature),
    ];
    for (const statement of declarations.values()) {
      interfaces += 1;
      const name = statement.name.text;
      const node = schemaNode(name);
      assert.ok(node?.properties, `schema lacks a definition for interface ${name}`);
      const members = membersOf(statement);
      const names = members.map((member) => member.name.getText(source)).sort();
      const required = members.filter((member) => !member.questionToken).map((member) => member.name.getText(source)).sort();
      assert.deepEqual(Object.keys(node.properties).sort(), names, `${name}: properties differ`);
      assert.deepEqual([...(node.required ?? [])].sort(), required, `${name}: required properties differ`);
    }
    assert.ok(interfaces >= 20, `only ${interfaces} interfaces found in report.ts`);
  });

  it('has the values of every string union in report.ts', () => {
    for (const statement of source.statements) {
      if (!ts.isTypeAliasDeclaration(statement) || !ts.isUnionTypeNode(statement.type)) continue;
      const values = statement.type.types.map((type) => {
        assert.ok(ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal), `${statement.name.text}: not a string union`);
        return type.literal.text;
      });
      assert.deepEqual(schemaNode(statement.name.text)?.enum, values, `${statement.name.text}: enum differs`);
    }
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
