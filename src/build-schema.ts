// Generates src/core/report.schema.json (JSON Schema draft-07) from the report's TypeScript types, at build time
// (`npm run build`); test/unit/report-schema.test.ts fails when the committed file differs from a fresh one. Every
// exported interface and type alias that the Report reaches becomes a definition: interfaces are closed objects
// (additionalProperties false; `extends` included), string unions are enums, `T | null` a nullable type, `T[]` an
// array, Record<string, T> a map, `unknown` anything, a literal a const. A property's JSDoc may add @minimum N,
// @pattern RE or @integer: the constraints a type cannot say.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..');
export const SCHEMA_FILE = join(ROOT, 'src', 'core', 'report.schema.json');
/** The files whose types the report is made of. */
const TYPE_FILES = ['report.ts', 'health-report.ts', 'status.ts'].map((file) => join(ROOT, 'src', 'core', file));

type Schema = Record<string, unknown>;

class SchemaError extends Error {}

class Generator {
  private readonly program = ts.createProgram(TYPE_FILES, { strict: true, noEmit: true, skipLibCheck: true });
  private readonly checker = this.program.getTypeChecker();
  private readonly declarations = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
  readonly definitions = new Map<string, Schema>();

  constructor() {
    for (const file of TYPE_FILES) {
      const source = this.program.getSourceFile(file);
      if (source === undefined) throw new SchemaError(`cannot read ${file}`);
      for (const statement of source.statements) {
        if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
          this.declarations.set(statement.name.text, statement);
        }
      }
    }
  }

  declaration(name: string): ts.InterfaceDeclaration | ts.TypeAliasDeclaration {
    const declaration = this.declarations.get(name);
    if (declaration === undefined) throw new SchemaError(`type ${name} is not declared in ${TYPE_FILES.join(', ')}`);
    return declaration;
  }

  /** A $ref to `name`, generating its definition on first use. */
  private reference(name: string): Schema {
    if (!this.definitions.has(name)) {
      this.definitions.set(name, {}); // placeholder: recursion stops here
      this.definitions.set(name, this.named(name));
    }
    return { $ref: `#/definitions/${name}` };
  }

  named(name: string): Schema {
    const declaration = this.declaration(name);
    if (ts.isInterfaceDeclaration(declaration)) return this.object(this.members(declaration));
    return this.type(declaration.type);
  }

  /** Own properties after those of the interfaces it extends. */
  private members(declaration: ts.InterfaceDeclaration): ts.PropertySignature[] {
    const inherited = (declaration.heritageClauses ?? []).flatMap((clause) => clause.types.flatMap((base) => {
      const parent = this.declaration(base.expression.getText());
      if (!ts.isInterfaceDeclaration(parent)) {
        throw new SchemaError(`${declaration.name.text} extends ${parent.name.text}, not an interface`);
      }
      return this.members(parent);
    }));
    return [...inherited, ...declaration.members.map((member) => {
      if (!ts.isPropertySignature(member) || member.type === undefined) {
        throw new SchemaError(`${declaration.name.text}: only typed properties make a report type (${member.getText()})`);
      }
      return member;
    })];
  }

  private object(members: readonly ts.PropertySignature[]): Schema {
    const properties: Record<string, Schema> = {};
    for (const member of members) properties[member.name.getText()] = { ...this.type(member.type as ts.TypeNode), ...constraints(member) };
    const required = members.filter((member) => member.questionToken === undefined).map((member) => member.name.getText());
    return { type: 'object', additionalProperties: false, ...(required.length > 0 ? { required } : {}), properties };
  }

  type(node: ts.TypeNode): Schema {
    if (ts.isParenthesizedTypeNode(node)) return this.type(node.type);
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword: return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword: return { type: 'number' };
      case ts.SyntaxKind.BooleanKeyword: return { type: 'boolean' };
      case ts.SyntaxKind.UnknownKeyword: return {};
      default: break;
    }
    if (ts.isLiteralTypeNode(node)) return { const: literalValue(node) };
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: this.type(node.elementType) };
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) return this.type(node.type);
    if (ts.isTypeLiteralNode(node)) {
      return this.object(node.members.map((member) => {
        if (!ts.isPropertySignature(member)) throw new SchemaError(`only properties in an inline object type: ${member.getText()}`);
        return member;
      }));
    }
    if (ts.isUnionTypeNode(node)) return this.union(node);
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      if (name === 'Record' && node.typeArguments?.length === 2 && node.typeArguments[0]?.kind === ts.SyntaxKind.StringKeyword) {
        return { type: 'object', additionalProperties: this.type(node.typeArguments[1] as ts.TypeNode) };
      }
      return this.reference(name);
    }
    // typeof CONSTANT, (typeof LIST)[number]: what the compiler makes of it, when that is a literal or a union of them.
    return this.resolved(node);
  }

  private union(node: ts.UnionTypeNode): Schema {
    const members = node.types.filter((member) => !(ts.isLiteralTypeNode(member) && member.literal.kind === ts.SyntaxKind.NullKeyword));
    const nullable = members.length < node.types.length;
    if (members.every((member) => ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal))) {
      const values = members.map((member) => literalValue(member as ts.LiteralTypeNode));
      return { enum: nullable ? [...values, null] : values };
    }
    const schemas = members.map((member) => this.type(member));
    const primitives = schemas.map((schema) => (Object.keys(schema).length === 1 && typeof schema.type === 'string' ? schema.type : null));
    if (primitives.every((type) => type !== null)) {
      const types = [...primitives, ...(nullable ? ['null'] : [])] as string[];
      return { type: types.length === 1 ? types[0] : types };
    }
    return { oneOf: [...schemas, ...(nullable ? [{ type: 'null' }] : [])] };
  }

  private resolved(node: ts.TypeNode): Schema {
    const type = this.checker.getTypeFromTypeNode(node);
    const literals = type.isUnion() ? type.types : [type];
    const values = literals.map((member) => (member.isStringLiteral() || member.isNumberLiteral() ? member.value : undefined));
    if (values.some((value) => value === undefined)) throw new SchemaError(`cannot express ${node.getText()} in JSON Schema`);
    return values.length === 1 ? { const: values[0] } : { enum: values };
  }
}

function literalValue(node: ts.LiteralTypeNode): string | number | boolean {
  const { literal } = node;
  if (ts.isStringLiteral(literal)) return literal.text;
  if (ts.isNumericLiteral(literal)) return Number(literal.text);
  if (literal.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (literal.kind === ts.SyntaxKind.FalseKeyword) return false;
  throw new SchemaError(`unsupported literal type ${node.getText()}`);
}

/** @minimum N, @pattern RE and @integer from a property's JSDoc. */
function constraints(member: ts.PropertySignature): Schema {
  const extra: Schema = {};
  for (const tag of ts.getJSDocTags(member)) {
    const text = typeof tag.comment === 'string' ? tag.comment.trim() : '';
    const name = tag.tagName.text;
    if (name === 'minimum') extra.minimum = Number(text);
    else if (name === 'pattern') extra.pattern = text;
    else if (name === 'integer') extra.type = 'integer';
  }
  return extra;
}

/** The schema as JSON text; a union of interfaces (DatabaseHealth) is a oneOf of closed objects. */
export function generateReportSchema(): string {
  const generator = new Generator();
  const root = generator.named('Report');
  const definitions = Object.fromEntries(generator.definitions);
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://db-sentinel.invalid/report.schema.json',
    title: 'db_sentinel report',
    description: 'The one report every db_sentinel output is a view of. Generated from src/core/report.ts by src/build-schema.ts '
      + '(npm run build); test/unit/report-schema.test.ts fails when it is stale. schema_version follows SCHEMA_VERSION.',
    ...root,
    definitions,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export function writeReportSchema(): string {
  writeFileSync(SCHEMA_FILE, generateReportSchema());
  return SCHEMA_FILE;
}
