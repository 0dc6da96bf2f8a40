// The analyzer's server as serve and the demo run it: a report loop that collects every interval and renders each
// report once (JSON and metrics), behind the HTTP server that serves the last one. The caller starts the loop.
import type { Server } from 'node:http';
import type { Report } from '../core/report';
import { ReportLoop } from '../report/report-loop';
import { closeGracefully, createSentinelServer, type ListenAddress, type ServerSecurity } from './http';
import { renderMetrics } from './prometheus';
import { renderReportJson } from './report-json';

export interface ReportServerOptions {
  collect: () => Promise<Report>;
  intervalMs: number;
  security: ServerSecurity;
  log: (line: string) => void;
  /** Binds the server: serve to the configured address, the demo to a free port when the default is taken. */
  bind: (server: Server) => Promise<ListenAddress>;
  /** Given each report's JSON before it is served (serve leaves it for the cron commands of the host). */
  keep?: (json: string) => Promise<void>;
  /** Given each report and its metrics, not awaited: what serve sends and writes after a collection (the beacon's
   * events, the textfile) never holds up the report being served. */
  publish?: (report: Report, metrics: string) => void;
}

export interface ReportServer {
  loop: ReportLoop;
  bound: ListenAddress;
  /** Closes the server (open requests finish), then stops the loop. */
  stop(): Promise<void>;
}

export async function startReportServer(options: ReportServerOptions): Promise<ReportServer> {
  const { keep, publish } = options;
  const loop = new ReportLoop({
    collect: options.collect,
    render: async (report) => {
      const json = renderReportJson(report);
      if (keep !== undefined) await keep(json);
      const metrics = await renderMetrics(report);
      publish?.(report, metrics);
      return { json, metrics };
    },
    intervalMs: options.intervalMs,
    log: options.log,
  });
  // A report older than three intervals and a minute is stale: /healthz says so.
  const staleAfterMs = 3 * options.intervalMs + 60_000;
  const server = createSentinelServer({ security: options.security, snapshot: () => loop.current(), staleAfterMs });
  const bound = await options.bind(server);
  return {
    loop,
    bound,
    async stop() {
      await closeGracefully(server);
      await loop.stop();
    },
  };
}
