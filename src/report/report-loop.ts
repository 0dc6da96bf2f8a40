// Collection in the background: one collection at a time, the next one `interval` after the previous ended (never
// overlapping, however slow the databases are). Each report is rendered once into the bytes the server sends, so
// a scrape costs a buffer write: no database query, no EXPLAIN, no rendering on the request path.
import type { Report } from '../core/report';
import { errorMessage } from '../core/errors';

export interface Snapshot {
  report: Report;
  json: Buffer;
  metrics: Buffer;
  /** Date.now() when the snapshot was installed. */
  installedAt: number;
}

export interface ReportLoopOptions {
  collect: () => Promise<Report>;
  render: (report: Report) => Promise<{ json: string; metrics: string }>;
  intervalMs: number;
  /** Where collection failures are reported (the previous snapshot keeps being served). */
  log: (line: string) => void;
  now?: () => number;
}

export class ReportLoop {
  private snapshot: Snapshot | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: ReportLoopOptions) {
    this.now = options.now ?? Date.now;
  }

  current(): Snapshot | null {
    return this.snapshot;
  }

  /** Starts the first collection now; the returned promise settles when it is installed (or has failed). */
  start(): Promise<void> {
    this.stopped = false;
    return this.runOnce();
  }

  /** Stops scheduling and waits for a collection in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private runOnce(): Promise<void> {
    this.running = this.collectAndInstall().finally(() => {
      this.running = null;
      if (!this.stopped) this.timer = setTimeout(() => void this.runOnce(), this.options.intervalMs);
    });
    return this.running;
  }

  private async collectAndInstall(): Promise<void> {
    try {
      const report = await this.options.collect();
      const rendered = await this.options.render(report);
      this.snapshot = {
        report,
        json: Buffer.from(rendered.json),
        metrics: Buffer.from(rendered.metrics),
        installedAt: this.now(),
      };
    } catch (error: unknown) {
      this.options.log(`collection failed, still serving the previous report: ${errorMessage(error)}`);
    }
  }
}
