// A sort that did not fit in work_mem and went to disk (Sort Method "external merge"/"external sort", Sort Space
// Type Disk). PostgreSQL docs, "Resource Consumption: work_mem" and "Using EXPLAIN" (Sort Method). Always a warning:
// the sort writes and reads back temporary files on every call.
// An index can serve the order only when every sort key is a plain column of one table: the keys name it by its
// alias ("o.created_at"), which is matched against the scans below the Sort (not simply the first one scanned).
import type { PostgresRule } from '../types';
import { pgNodeLabel, pgNodes, type PgPlanNode } from '../../parsers/plans/postgres';

/** "o.created_at DESC" -> { qualifier: "o", column: "created_at", direction: " DESC" }; expressions -> null. */
function sortColumn(key: string): { qualifier: string | null; column: string; direction: string } | null {
  const match = /^(?:([A-Za-z_][\w$]*|"[^"]+")\.)?([A-Za-z_][\w$]*|"[^"]+")((?: DESC| NULLS (?:FIRST|LAST)| USING \S+)*)$/.exec(key.trim());
  if (match === null) return null;
  return { qualifier: match[1] ?? null, column: match[2] ?? '', direction: match[3] ?? '' };
}

function scansBelow(node: PgPlanNode): PgPlanNode[] {
  return node.children.flatMap((child) => [...(child.relation !== null ? [child] : []), ...scansBelow(child)]);
}

/** The table scanned below `sort` that all keys belong to, or null when they span tables or are expressions. */
function sortedRelation(sort: PgPlanNode): string | null {
  const scans = scansBelow(sort);
  const columns = sort.sortKey.map(sortColumn);
  if (columns.length === 0 || columns.some((column) => column === null)) return null;
  const qualifiers = new Set(columns.map((column) => column?.qualifier ?? null));
  if (qualifiers.size !== 1) return null;
  const [qualifier] = [...qualifiers];
  const matching = scans.filter((scan) => qualifier === null || (scan.alias ?? scan.relation) === qualifier);
  const relations = new Set(matching.map((scan) => scan.relation));
  // Unqualified keys: only when a single table is scanned below the sort.
  return relations.size === 1 ? [...relations][0] ?? null : null;
}

export const sortSpill: PostgresRule = {
  id: 'sort_spill',
  description: 'Sort with Sort Space Type Disk / external merge (work_mem too small for it)',
  evaluate(plan) {
    return pgNodes(plan).flatMap((node) => {
      const external = (node.sortMethod ?? '').startsWith('external') || node.sortSpaceType === 'Disk';
      if (!node.nodeType.includes('Sort') || !external) return [];
      const usedMb = node.sortSpaceUsedKb === null ? null : node.sortSpaceUsedKb / 1024;
      const size = usedMb === null ? '' : ` ${usedMb.toFixed(1)} MB`;
      const keys = node.sortKey.join(', ');
      const relation = sortedRelation(node);
      const indexColumns = node.sortKey.map((key) => {
        const column = sortColumn(key);
        return column === null ? key : `${column.column}${column.direction}`;
      }).join(', ');
      const memory = usedMb === null
        ? 'raise work_mem'
        : `raise work_mem for it (SET LOCAL work_mem = '${Math.max(4, Math.ceil(usedMb * 2))}MB', about twice the spill)`;
      const index = relation !== null ? ` or serve the order from an index on ${relation}(${indexColumns})` : '';
      return [{
        rule: 'sort_spill',
        severity: 'warning',
        node: pgNodeLabel(node),
        message: `Sort${keys === '' ? '' : ` by ${keys}`} spilled${size} to disk (${node.sortMethod ?? 'Disk'})`,
        advice: `${memory}${index}`,
      }];
    });
  },
};
