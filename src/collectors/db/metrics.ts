// The database collector's metrics: up, connections, latency, cache, the bounded slow-query rank slots (the JSON
// report holds the full detail) and plan findings, then each database's health (./health/metrics.ts). Per database at
// most 15 fixed series plus 5 per rank slot (ranks 1..10).
import { msToSeconds, type CollectorMetrics, type MetricSink } from '../collector';
import type { DatabaseReport, FindingSeverity, SlowQuery } from '../../core/report';
import { SEVERITY_ORDER } from '../../plans/types';
import { addHealth, HEALTH_FAMILIES } from './health/metrics';

/** Rank slots exported per database; the JSON report holds the full detail. */
const MAX_RANK_SLOTS = 10;
/** Length of the `query` label of db_sentinel_slow_query_info. */
const QUERY_LABEL_LENGTH = 80;

const SEVERITIES: readonly FindingSeverity[] = ['info', 'warning', 'critical'];
const CONNECTION_STATES = ['active', 'idle', 'idle_in_transaction', 'waiting'] as const;

/**
 * The query label: normalized text on one line, any literal that slipped through normalization masked (quoted
 * strings and bare numbers become `?`), cut to 80 characters. Label values must never carry data from rows.
 */
export function queryLabel(normalized: string): string {
  const masked = normalized
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/(?<![\w$.])\d+(?:\.\d+)?(?![\w.])/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  return Array.from(masked).slice(0, QUERY_LABEL_LENGTH).join('');
}

function worstSeverity(query: SlowQuery): FindingSeverity | null {
  let worst: FindingSeverity | null = null;
  for (const finding of query.plan?.findings ?? []) {
    if (worst === null || SEVERITY_ORDER[finding.severity] > SEVERITY_ORDER[worst]) worst = finding.severity;
  }
  return worst;
}

function addRankSlots(sink: MetricSink, database: DatabaseReport): void {
  const db = database.name;
  const slots = [...database.slow_queries].sort((a, b) => a.rank - b.rank).slice(0, MAX_RANK_SLOTS);
  slots.forEach((query, index) => {
    // Slots are renumbered 1..n so the label set stays bounded whatever ranks the collector produced.
    const rank = String(index + 1);
    sink.set('slow_query_mean_seconds', { db, rank }, msToSeconds(query.mean_ms));
    sink.set('slow_query_calls', { db, rank }, query.calls);
    sink.set('slow_query_total_seconds', { db, rank }, msToSeconds(query.total_ms));
    sink.set('slow_query_info', { db, rank, queryid: query.id, query: queryLabel(query.query) }, 1);
    const worst = worstSeverity(query);
    if (worst !== null) {
      const atWorst = (query.plan?.findings ?? []).filter((finding) => finding.severity === worst).length;
      sink.set('slow_query_findings', { db, rank, severity: worst }, atWorst);
    }
  });
}

function addDatabase(sink: MetricSink, database: DatabaseReport): void {
  const db = database.name;
  sink.set('db_up', { db, engine: database.engine }, database.up ? 1 : 0);
  if (database.connections) {
    for (const state of CONNECTION_STATES) sink.set('db_connections', { db, state }, database.connections[state]);
    sink.set('db_max_connections', { db }, database.connections.max_connections);
    sink.set('db_connection_usage_ratio', { db }, database.connections.usage_ratio);
  }
  const meanMs = database.latency?.mean_ms;
  sink.set('db_query_mean_seconds', { db }, meanMs === null || meanMs === undefined ? null : msToSeconds(meanMs));
  sink.set('db_cache_hit_ratio', { db }, database.cache_hit_ratio);
  sink.set('db_longest_transaction_seconds', { db }, database.longest_transaction_seconds);
  sink.set('db_longest_query_seconds', { db }, database.longest_query_seconds);
  sink.set('db_blocked_sessions', { db }, database.blocked_sessions);
  addRankSlots(sink, database);
  const counts: Record<FindingSeverity, number> = { info: 0, warning: 0, critical: 0 };
  for (const query of database.slow_queries) {
    for (const finding of query.plan?.findings ?? []) counts[finding.severity] += 1;
  }
  if (database.up) for (const severity of SEVERITIES) sink.set('plan_findings', { db, severity }, counts[severity]);
  addHealth(sink, database);
}

export const DATABASE_METRICS: CollectorMetrics = {
  families: {
    db_up: { help: '1 if the database answered, else 0.', labels: ['db', 'engine'] },
    db_connections: { help: 'Client connections by state.', labels: ['db', 'state'] },
    db_max_connections: { help: 'The max_connections setting.', labels: ['db'] },
    db_connection_usage_ratio: { help: 'Connections in use over max_connections (0-1).', labels: ['db'] },
    db_query_mean_seconds: { help: 'Mean statement execution time weighted by calls.', labels: ['db'] },
    db_cache_hit_ratio: { help: 'Buffer cache hit ratio (0-1).', labels: ['db'] },
    db_longest_transaction_seconds: { help: 'Age of the oldest open transaction.', labels: ['db'] },
    db_longest_query_seconds: { help: 'Run time of the longest running statement.', labels: ['db'] },
    db_blocked_sessions: { help: 'Sessions waiting on a lock held by another session.', labels: ['db'] },
    slow_query_mean_seconds: { help: 'Mean execution time of the slow query in this rank slot.', labels: ['db', 'rank'] },
    slow_query_calls: { help: 'Calls of the slow query in this rank slot since statistics were reset.', labels: ['db', 'rank'] },
    slow_query_total_seconds: {
      help: 'Total execution time of the slow query in this rank slot since statistics were reset.', labels: ['db', 'rank'],
    },
    slow_query_info: {
      help: 'Identity of the slow query in this rank slot (always 1; query is the normalized text cut to 80 characters).',
      labels: ['db', 'rank', 'queryid', 'query'],
    },
    slow_query_findings: {
      help: 'Plan findings of the slow query in this rank slot, counted at its worst severity.', labels: ['db', 'rank', 'severity'],
    },
    plan_findings: { help: 'Plan findings over the slow queries by severity.', labels: ['db', 'severity'] },
    ...HEALTH_FAMILIES,
  },
  samples(report, sink) {
    for (const database of report.databases) addDatabase(sink, database);
  },
};
