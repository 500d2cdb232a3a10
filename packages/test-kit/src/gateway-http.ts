import { waitFor } from './ports.js';

/** What a test asks a running gateway over HTTP, wherever it runs (its own process or the test's). */
export abstract class GatewayHttp {
  abstract get url(): string;
  /** The last of what the gateway said, for an error message. */
  protected abstract recentOutput(): string;

  /** POSTs events to /v1/events: a value is sent as JSON, a string or Buffer as it is. */
  async post(events: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
    const body =
      typeof events === 'string' ? events : Buffer.isBuffer(events) ? new Uint8Array(events) : JSON.stringify(events);
    const response = await fetch(`${this.url}/v1/events`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body,
    });
    return { status: response.status, body: await response.json() };
  }

  async health(): Promise<any> {
    return (await fetch(`${this.url}/healthz`)).json();
  }

  /**
   * Waits until every point accepted so far is in InfluxDB: no raw line and no dirty roll-up left in
   * the spool. `noDeadLetters`: fails at once if a point was dead-lettered; `everyMs`: how often to ask.
   */
  async drained(timeoutMs = 30_000, options: { noDeadLetters?: boolean; everyMs?: number } = {}): Promise<void> {
    let deadLettered: Error | undefined;
    await waitFor(
      'the spool to drain',
      async () => {
        const h = await this.health();
        if (options.noDeadLetters && h.spool.dead_letters > 0) {
          deadLettered = new Error(`the gateway dead-lettered ${h.spool.dead_letters} points: ${this.recentOutput()}`);
          return true;
        }
        return h.spool.lines === 0 && h.spool.rollups === 0;
      },
      timeoutMs,
      options.everyMs ?? 100
    );
    if (deadLettered) throw deadLettered;
  }
}
