// A walk over the JSON-like parse trees of both SQL parsers (libpg-query, node-sql-parser): the safety gate and the
// plan rules read the same trees, so the walker sits with the parsers, not in the gate.

/** Visits every object in a JSON-like tree (parse trees of both parsers), parents before children. */
export function walkTree(node: unknown, visit: (object: Record<string, unknown>, key: string | null) => void,
  key: string | null = null): void {
  if (Array.isArray(node)) {
    for (const item of node) walkTree(item, visit, key);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const object = node as Record<string, unknown>;
  visit(object, key);
  for (const [childKey, child] of Object.entries(object)) walkTree(child, visit, childKey);
}
