// The verdict of a SQL safety gate: may this text be executed by EXPLAIN ANALYZE?
export interface GateVerdict {
  allowed: boolean;
  /** Why it was refused, or what was checked when it passed. */
  reason: string;
}

export function refuse(reason: string): GateVerdict {
  return { allowed: false, reason };
}

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
