// Every plan rule, per engine, in one explicit list (adding a rule: its file, this list, its fixture pair).
import type { Finding } from '../core/report';
import type { PgPlan } from '../parsers/plans/postgres';
import type { MyPlan } from '../parsers/plans/mysql';
import { SEVERITY_ORDER, type MysqlRule, type PostgresRule, type RuleContext } from './types';
import { seqScanFilter } from './postgresql/seq_scan_filter';
import { rowMisestimate } from './postgresql/row_misestimate';
import { sortSpill } from './postgresql/sort_spill';
import { hashSpill } from './postgresql/hash_spill';
import { nestedLoopInnerLoops } from './postgresql/nested_loop_inner_loops';
import { heapFetches } from './postgresql/heap_fetches';
import { lossyBitmap } from './postgresql/lossy_bitmap';
import { tempIo } from './postgresql/temp_io';
import { cacheMisses } from './postgresql/cache_misses';
import { jitOverhead } from './postgresql/jit_overhead';
import { workersNotLaunched } from './postgresql/workers_not_launched';
import { fullTableScan } from './mysql/full_table_scan';
import { filesort } from './mysql/filesort';
import { temporaryTable } from './mysql/temporary_table';
import { joinBuffer } from './mysql/join_buffer';
import { mysqlRowMisestimate } from './mysql/row_misestimate';
import { rowsExaminedRatio } from './mysql/rows_examined_ratio';
import { noIndexUsed } from './mysql/no_index_used';

export const POSTGRES_RULES: readonly PostgresRule[] = [
  seqScanFilter, rowMisestimate, sortSpill, hashSpill, nestedLoopInnerLoops, heapFetches, lossyBitmap, tempIo,
  cacheMisses, jitOverhead, workersNotLaunched,
];

export const MYSQL_RULES: readonly MysqlRule[] = [
  fullTableScan, filesort, temporaryTable, joinBuffer, mysqlRowMisestimate, rowsExaminedRatio, noIndexUsed,
];

/** Worst first, then by rule order. */
function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY_ORDER[b.finding.severity] - SEVERITY_ORDER[a.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
}

/** Runs every PostgreSQL rule. The PostgreSQL parser must be loaded (loadPostgresParser) for column names. */
export function evaluatePostgresPlan(plan: PgPlan, context: RuleContext = {}): Finding[] {
  return sortFindings(POSTGRES_RULES.flatMap((rule) => rule.evaluate(plan, context)));
}

export function evaluateMysqlPlan(plan: MyPlan, context: RuleContext = {}): Finding[] {
  return sortFindings(MYSQL_RULES.flatMap((rule) => rule.evaluate(plan, context)));
}

/** One line for the report: what ran and the worst finding. */
export function summarizeFindings(findings: Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const worst = findings[0];
  const rules = [...new Set(findings.map((finding) => finding.rule))].join(', ');
  return `${findings.length} finding${findings.length === 1 ? '' : 's'} (worst ${worst?.severity ?? 'info'}): ${rules}`;
}
