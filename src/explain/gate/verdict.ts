// The verdict of a SQL safety gate: may this text be executed by EXPLAIN ANALYZE?
export interface GateVerdict {
  allowed: boolean;
  /** Why it was refused, or what was checked when it passed. */
  reason: string;
}

export function refuse(reason: string): GateVerdict {
  return { allowed: false, reason };
}
