// What `db_analyzer serve` does after each collection where the formula gives it the cron jobs' work (README,
// Deployment): server.beacon sends the beacon's events as db_beacon does, server.textfile writes the textfile and its
// status as db_textfile does when it collects — the same code, without a Node start per minute. Neither holds up a
// collection or a scrape: each runs beside the loop, one at a time, and a failure is a log line (the beacon's events
// are sent after the next collection, the textfile's failure is in its status file for the `textfile` check).
import type { Config } from '../core/config';
import type { Report } from '../core/report';
import { errorMessage } from '../core/errors';
import type { CommandRunner } from '../sources/exec';
import { beaconOptions, deliverBySaltCall, readState } from './salt-event';
import { writeTextfileRecorded } from './textfile';

/**
 * Runs `task` on what it is offered, one at a time. What is offered while a task runs waits, replacing anything
 * already waiting: a salt-call that takes longer than a cycle is never started twice, and the next run takes the
 * newest report (a cycle passed over this way does not count towards the beacon's hysteresis).
 */
export class NewestOnly<T extends object> {
  private waiting: T | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly task: (item: T) => Promise<void>, private readonly fail: (error: unknown) => void) {}

  offer(item: T): void {
    if (this.running !== null) {
      this.waiting = item;
      return;
    }
    this.running = this.drain(item);
  }

  /** Settles when no task runs and none waits. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async drain(first: T): Promise<void> {
    let item: T | null = first;
    while (item !== null) {
      try {
        await this.task(item);
      } catch (error: unknown) {
        this.fail(error);
      }
      item = this.waiting;
      this.waiting = null;
    }
    this.running = null;
  }
}

export interface DaemonOutputs {
  /** Given each collected report and its metrics; returns at once. */
  publish(report: Report, metrics: string): void;
  /** Settles when what was published is sent and written (serve waits for it before it exits). */
  idle(): Promise<void>;
}

/**
 * The outputs config.server turns on, or undefined when none is. `run` starts salt-call (found through PATH, as for
 * db_beacon); `log` takes one line per failure or batch of events sent.
 */
export function daemonOutputs(config: Config, run: CommandRunner, log: (line: string) => void): DaemonOutputs | undefined {
  const outputs: Array<NewestOnly<{ report: Report; metrics: string }>> = [];
  if (config.server.beacon) {
    const options = beaconOptions(config.beacon);
    const stateFile = config.beacon.state_file;
    outputs.push(new NewestOnly(async ({ report }) => {
      const { sent } = await deliverBySaltCall(report, await readState(stateFile), stateFile, options, run);
      if (sent.length > 0) log(`beacon: sent ${sent.map((event) => event.tag).join(', ')}`);
    }, (error) => log(`warning: beacon: ${errorMessage(error)} (sent again after the next collection)`)));
  }
  if (config.server.textfile) {
    const warn = (error: unknown): void => log(`warning: textfile: ${errorMessage(error)}`);
    outputs.push(new NewestOnly(async ({ metrics }) => {
      await writeTextfileRecorded(config.textfile.dir, config.textfile.status_file, metrics, warn);
    }, warn));
  }
  if (outputs.length === 0) return undefined;
  return {
    publish(report, metrics) {
      for (const output of outputs) output.offer({ report, metrics });
    },
    async idle() {
      await Promise.all(outputs.map((output) => output.idle()));
    },
  };
}
