// PostgreSQL plans: the JSON of EXPLAIN (FORMAT JSON) with or without ANALYZE/BUFFERS, as a typed tree. Pure: a
// function of the document (text or parsed), no I/O. Fields that a version or an option does not print are null.
import { ParseError } from '../../core/errors';

export interface PgPlanNode {
  nodeType: string;
  relation: string | null;
  schema: string | null;
  alias: string | null;
  indexName: string | null;
  parentRelationship: string | null;
  /** Filter / Index Cond / Hash Cond / Recheck Cond / Join Filter as printed. */
  filter: string | null;
  /** Index Cond, or a Bitmap Heap Scan's Recheck Cond. */
  indexCond: string | null;
  recheckCond: string | null;
  joinCond: string | null;
  sortKey: string[];
  /** The planner's estimate per loop; null when EXPLAIN ran with COSTS OFF. */
  planRows: number | null;
  /** "CTE Name" of a CTE Scan; "Subplan Name" ("CTE x", "InitPlan 1") of the node that computes it. */
  cteName: string | null;
  subplanName: string | null;
  /** Per loop, as EXPLAIN prints them; null without ANALYZE (or for a node never executed: loops 0). */
  actualRows: number | null;
  actualLoops: number | null;
  actualTotalMs: number | null;
  rowsRemovedByFilter: number | null;
  rowsRemovedByIndexRecheck: number | null;
  sortMethod: string | null;
  sortSpaceType: string | null;
  sortSpaceUsedKb: number | null;
  hashBatches: number | null;
  originalHashBatches: number | null;
  /** HashAggregate (PG13+): batches and disk usage. */
  aggBatches: number | null;
  diskUsageKb: number | null;
  heapFetches: number | null;
  exactHeapBlocks: number | null;
  lossyHeapBlocks: number | null;
  sharedHitBlocks: number | null;
  sharedReadBlocks: number | null;
  tempReadBlocks: number | null;
  tempWrittenBlocks: number | null;
  workersPlanned: number | null;
  workersLaunched: number | null;
  children: PgPlanNode[];
}

export interface PgJit {
  functions: number | null;
  totalMs: number | null;
}

export interface PgPlan {
  root: PgPlanNode;
  /** True when the plan carries actual rows (EXPLAIN ANALYZE). */
  analyzed: boolean;
  planningMs: number | null;
  executionMs: number | null;
  jit: PgJit | null;
}

type Json = Record<string, unknown>;

function num(object: Json, key: string): number | null {
  const value = object[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(object: Json, key: string): string | null {
  const value = object[key];
  return typeof value === 'string' ? value : null;
}

function parseNode(object: Json, path: string): PgPlanNode {
  const nodeType = str(object, 'Node Type');
  if (nodeType === null) throw new ParseError(`postgres plan: node at ${path} has no "Node Type"`);
  const planRows = num(object, 'Plan Rows');
  if (planRows === null && object['Plan Rows'] !== undefined) {
    throw new ParseError(`postgres plan: "Plan Rows" of ${nodeType} at ${path} is not a number`);
  }
  const children = object.Plans;
  if (children !== undefined && !Array.isArray(children)) {
    throw new ParseError(`postgres plan: "Plans" of ${nodeType} at ${path} is not a list`);
  }
  const sortKey = object['Sort Key'];
  return {
    nodeType,
    relation: str(object, 'Relation Name'),
    schema: str(object, 'Schema'),
    alias: str(object, 'Alias'),
    indexName: str(object, 'Index Name'),
    parentRelationship: str(object, 'Parent Relationship'),
    filter: str(object, 'Filter'),
    indexCond: str(object, 'Index Cond') ?? str(object, 'Recheck Cond'),
    recheckCond: str(object, 'Recheck Cond'),
    joinCond: str(object, 'Hash Cond') ?? str(object, 'Merge Cond') ?? str(object, 'Join Filter'),
    sortKey: Array.isArray(sortKey) ? sortKey.filter((key): key is string => typeof key === 'string') : [],
    planRows,
    cteName: str(object, 'CTE Name'),
    subplanName: str(object, 'Subplan Name'),
    actualRows: num(object, 'Actual Rows'),
    actualLoops: num(object, 'Actual Loops'),
    actualTotalMs: num(object, 'Actual Total Time'),
    rowsRemovedByFilter: num(object, 'Rows Removed by Filter'),
    rowsRemovedByIndexRecheck: num(object, 'Rows Removed by Index Recheck'),
    sortMethod: str(object, 'Sort Method'),
    sortSpaceType: str(object, 'Sort Space Type'),
    sortSpaceUsedKb: num(object, 'Sort Space Used'),
    hashBatches: num(object, 'Hash Batches'),
    originalHashBatches: num(object, 'Original Hash Batches'),
    aggBatches: num(object, 'HashAgg Batches'),
    diskUsageKb: num(object, 'Disk Usage'),
    heapFetches: num(object, 'Heap Fetches'),
    exactHeapBlocks: num(object, 'Exact Heap Blocks'),
    lossyHeapBlocks: num(object, 'Lossy Heap Blocks'),
    sharedHitBlocks: num(object, 'Shared Hit Blocks'),
    sharedReadBlocks: num(object, 'Shared Read Blocks'),
    tempReadBlocks: num(object, 'Temp Read Blocks'),
    tempWrittenBlocks: num(object, 'Temp Written Blocks'),
    workersPlanned: num(object, 'Workers Planned'),
    workersLaunched: num(object, 'Workers Launched'),
    children: (children ?? []).map((child, index) => {
      if (child === null || typeof child !== 'object') throw new ParseError(`postgres plan: child ${index} of ${nodeType} `
        + `at ${path} is not an object`);
      return parseNode(child as Json, `${path}.Plans[${index}]`);
    }),
  };
}

/** Parses EXPLAIN (FORMAT JSON) output: the text, or the value the pg client returns for the "QUERY PLAN" column. */
export function parsePostgresPlan(document: unknown): PgPlan {
  let value = document;
  if (typeof document === 'string') {
    try {
      value = JSON.parse(document);
    } catch (error: unknown) {
      throw new ParseError(`postgres plan: not JSON: ${JSON.stringify(document.slice(0, 60))}`, { cause: error });
    }
  }
  const top = Array.isArray(value) ? value[0] : value;
  if (top === null || typeof top !== 'object' || !('Plan' in top)) {
    throw new ParseError('postgres plan: expected [{"Plan": …}] from EXPLAIN (FORMAT JSON)');
  }
  const object = top as Json;
  const root = parseNode(object.Plan as Json, 'Plan');
  const jit = object.JIT as Json | undefined;
  const timing = jit?.Timing as Json | undefined;
  const total = timing === undefined ? null : (typeof timing.Total === 'number' ? timing.Total : null);
  return {
    root,
    analyzed: root.actualLoops !== null,
    planningMs: num(object, 'Planning Time'),
    executionMs: num(object, 'Execution Time'),
    jit: jit === undefined ? null : { functions: num(jit, 'Functions'), totalMs: total },
  };
}

/** Every node, parents first. */
export function pgNodes(plan: PgPlan): PgPlanNode[] {
  const out: PgPlanNode[] = [];
  const visit = (node: PgPlanNode): void => {
    out.push(node);
    node.children.forEach(visit);
  };
  visit(plan.root);
  return out;
}

/** "Seq Scan on orders o" — how findings name a node. */
export function pgNodeLabel(node: PgPlanNode): string {
  let label = node.nodeType;
  if (node.indexName !== null && node.nodeType.includes('Index')) label += ` using ${node.indexName}`;
  if (node.sortKey.length > 0) label += ` (${node.sortKey.join(', ')})`;
  if (node.relation !== null) {
    label += ` on ${node.relation}`;
    if (node.alias !== null && node.alias !== node.relation) label += ` ${node.alias}`;
  }
  return label;
}
