// Per-second rates of server counters between two collections of the same process (db_analyzer serve keeps one
// memory for its lifetime; the clock is the collect context's, so tests inject it). A one-shot run has no previous
// sample: the rate is null and the check says so. Prometheus gets the raw counters as well, so alerts and panels
// use rate() and work for the textfile path too, where every cron run is a new process.
export class CounterRates {
  private readonly previous = new Map<string, { at: number; value: number }>();

  /** The rate since the last sample of `key`, or null on the first sample or after a counter reset. */
  rate(key: string, value: number, at: Date): number | null {
    const last = this.previous.get(key);
    this.previous.set(key, { at: at.getTime(), value });
    if (last === undefined) return null;
    const seconds = (at.getTime() - last.at) / 1000;
    if (seconds <= 0 || value < last.value) return null;
    return (value - last.value) / seconds;
  }
}
