/**
 * Load from the bench process over keep-alive connections (node:http Agent: cheaper per request
 * than fetch, which matters when client and server share two cores). Two shapes:
 *  - closed loop: `connections` senders each post, wait for the answer, post again: saturation;
 *  - open loop: sends scheduled at fixed times whatever the answers do; latency counts from the
 *    scheduled time, so a stall shows as the queue behind it (no coordinated omission).
 */
import { Agent, request } from 'node:http';

export interface Target {
  host: string;
  port: number;
  path: string;
  contentType: string;
}

export function target(url: string, path: string, contentType = 'application/json'): Target {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), path, contentType };
}

export function post(agent: Agent, t: Target, body: string | Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: t.host,
        port: t.port,
        path: t.path,
        method: 'POST',
        headers: { 'Content-Type': t.contentType, 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      }
    );
    req.once('error', reject);
    req.end(body);
  });
}

export const keepAlive = (maxSockets: number) => new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });

/**
 * Posts every body once, `connections` at a time; returns seconds from first send to last answer.
 * Throws on any answer but `expect`: a benchmark of refused requests would measure nothing.
 */
export async function closedLoop(
  t: Target,
  bodies: readonly (string | Buffer)[],
  connections: number,
  expect = 202
): Promise<number> {
  const agent = keepAlive(connections);
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    for (;;) {
      const i = next++;
      if (i >= bodies.length) return;
      const status = await post(agent, t, bodies[i]!);
      if (status !== expect) throw new Error(`POST ${t.path} answered ${status}, expected ${expect}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, sender));
    return (performance.now() - started) / 1000;
  } finally {
    agent.destroy();
  }
}

/** Posts for `seconds` as fast as `connections` senders go; returns requests per second. */
export async function saturate(
  t: Target,
  body: (i: number) => string,
  connections: number,
  seconds: number,
  expect = 202
): Promise<number> {
  const agent = keepAlive(connections);
  let n = 0;
  const stopAt = performance.now() + seconds * 1000;
  const started = performance.now();
  const sender = async () => {
    while (performance.now() < stopAt) {
      const status = await post(agent, t, body(n++));
      if (status !== expect) throw new Error(`POST ${t.path} answered ${status}, expected ${expect}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, sender));
    return n / ((performance.now() - started) / 1000);
  } finally {
    agent.destroy();
  }
}

/**
 * Open loop: `rate` requests per second for `seconds`, request i scheduled at start + i/rate.
 * Returns each request's latency in ms from its scheduled time to its answer, and how late the
 * client itself was sending (if that grows, the client, not the server, is the bottleneck).
 */
export async function openLoop(
  t: Target,
  body: (i: number) => string,
  rate: number,
  seconds: number,
  maxSockets = 256,
  expect = 202
): Promise<{ latencies: number[]; maxSendLagMs: number; errors: number; failures: Record<string, number> }> {
  const agent = keepAlive(maxSockets);
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let errors = 0;
  const failures: Record<string, number> = {};
  const fail = (why: string) => {
    errors++;
    failures[why] = (failures[why] ?? 0) + 1;
  };
  let maxSendLagMs = 0;
  const start = performance.now() + 20;
  try {
    for (let i = 0; i < total;) {
      const now = performance.now();
      // Send everything due by now (the timer wakes us ~1 ms late at best).
      while (i < total && start + (i * 1000) / rate <= now) {
        const scheduled = start + (i * 1000) / rate;
        maxSendLagMs = Math.max(maxSendLagMs, now - scheduled);
        pending.push(
          post(agent, t, body(i)).then(
            (status) => {
              if (status !== expect) fail(`HTTP ${status}`);
              latencies.push(performance.now() - scheduled);
            },
            (err: NodeJS.ErrnoException) => fail(err.code ?? err.message)
          )
        );
        i++;
      }
      const wait = start + (i * 1000) / rate - performance.now();
      await new Promise((r) => (wait > 1 ? setTimeout(r, Math.floor(wait)) : setImmediate(r)));
    }
    await Promise.all(pending);
    return { latencies, maxSendLagMs, errors, failures };
  } finally {
    agent.destroy();
  }
}
