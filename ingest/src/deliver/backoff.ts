/**
 * Exponential backoff with full jitter (AWS's "Exponential Backoff and Jitter"): many gateways
 * retrying after the same outage spread out instead of hammering InfluxDB in step. No give-up:
 * an outage of hours is normal for a school server, and the spool holds what waits.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 200,
    private readonly capMs = 60_000,
    private readonly random: () => number = Math.random
  ) {}

  /** The wait before the next try; a server's Retry-After wins when it asks for longer. */
  next(retryAfterMs?: number): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const wait = Math.round(this.random() * ceiling);
    return retryAfterMs === undefined ? wait : Math.max(wait, Math.min(retryAfterMs, 10 * this.capMs));
  }

  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}
