import type { Core } from '../gateway.js';

/** Where generated wire events go: this process's own pipeline, or a running gateway over HTTP. */
export interface EventSink {
  /** Resolves when the events are durably accepted; returns how many were new. */
  send(events: unknown[]): Promise<number>;
}

/** Straight into the accept use case of a core opened on DATA_DIR (its deliverer writes to InfluxDB). */
export function pipelineSink(core: Pick<Core, 'accept'>): EventSink {
  return {
    async send(events) {
      const outcome = await core.accept.accept(events.map((raw, at) => ({ at, raw })));
      // Generated events are valid by construction: a refusal is a bug in the generator.
      const first = outcome.rejected[0];
      if (first) throw new Error(`the demo generated an invalid event (${first.error}): a bug`);
      return outcome.accepted;
    },
  };
}

/** An answer that waiting will not change. */
class GatewayRefused extends Error {}

/**
 * POSTs NDJSON to a gateway's /v1/events, as Kibotics would. Waits and tries again on 429 and 503
 * (Retry-After), and when the gateway is not up yet (compose starts services in any order).
 */
export function httpSink(baseUrl: string, token?: string, log: (msg: string) => void = () => {}): EventSink {
  const url = `${baseUrl.replace(/\/+$/, '')}/v1/events`;
  const headers: Record<string, string> = { 'Content-Type': 'application/x-ndjson' };
  if (token) headers.Authorization = `Bearer ${token}`;

  const sendAll = async (events: unknown[]): Promise<number> => {
    const body = events.map((e) => JSON.stringify(e)).join('\n');
    for (let attempt = 1; ; attempt++) {
      let waitMs: number;
      try {
        const response = await fetch(url, { method: 'POST', headers, body });
        const result = (await response.json().catch(() => ({}))) as {
          accepted?: number;
          duplicates?: number;
          rejected?: unknown[];
        };
        if (response.status === 202 && result.rejected?.length) {
          throw new GatewayRefused(
            `the gateway refused ${result.rejected.length} generated events, e.g. ${JSON.stringify(result.rejected[0])}: a bug`
          );
        }
        if (response.status === 202) return result.accepted ?? 0; // new events only: repeats are in `duplicates`
        // Over the gateway's MAX_EVENTS_PER_REQUEST or MAX_BODY_BYTES: send in halves.
        if (response.status === 413 && events.length > 1) {
          const half = Math.ceil(events.length / 2);
          return (await sendAll(events.slice(0, half))) + (await sendAll(events.slice(half)));
        }
        if (response.status !== 429 && response.status !== 503) {
          throw new GatewayRefused(`the gateway answered ${response.status}: ${JSON.stringify(result).slice(0, 300)}`);
        }
        waitMs = 1000 * Number(response.headers.get('retry-after') ?? 1);
      } catch (err) {
        if (err instanceof GatewayRefused) throw err;
        waitMs = Math.min(10_000, 500 * attempt);
        if (attempt === 1 || attempt % 10 === 0)
          log(`waiting for the gateway at ${baseUrl} (${(err as Error).message})`);
      }
      await new Promise((r) => setTimeout(r, waitMs));
    }
  };
  return { send: sendAll };
}
