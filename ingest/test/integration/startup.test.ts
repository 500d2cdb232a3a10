import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { runCli } from '@kibotics/test-kit/cli';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';
import { freePort } from '@kibotics/test-kit/ports';

let influx: Influxd;
before(async () => {
  influx = await Influxd.start();
});
after(async () => influx?.stop());

/**
 * InfluxDB hung: takes every connection and answers nothing until `release()`, after which it
 * forwards the held requests and the next ones to the real influxd.
 */
class HungInflux {
  private held: Array<() => void> = [];
  private released = false;
  /** Requests that arrived while hung (the gateway tried to reach InfluxDB). */
  heldCount = 0;
  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string
  ) {}

  static async start(target: string): Promise<HungInflux> {
    let self: HungInflux | undefined;
    const server = createServer((req, res) => self!.handle(target, req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    self = new HungInflux(server, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    return self;
  }

  private handle(target: string, req: IncomingMessage, res: ServerResponse): void {
    const forward = async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const answer = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)) as Array<
            [string, string]
          >
        ),
        body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
      });
      // fetch has decoded the body already: its encoding and length no longer apply.
      res.writeHead(
        answer.status,
        Object.fromEntries(
          [...answer.headers].filter(([k]) => !['content-encoding', 'content-length', 'transfer-encoding'].includes(k))
        )
      );
      res.end(Buffer.from(await answer.arrayBuffer()));
    };
    // A request the gateway gave up on (its timeout) fails here: nothing to answer.
    const run = () => void forward().catch(() => res.destroy());
    if (this.released) run();
    else {
      this.heldCount++;
      this.held.push(run);
    }
  }

  release(): void {
    this.released = true;
    for (const f of this.held.splice(0)) f();
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }
}

describe('start-up', () => {
  test('an InfluxDB that hangs does not keep the gateway from listening; events spool and are delivered once it answers', async () => {
    const DB = 'startup_hung';
    const hung = await HungInflux.start(influx.url);
    // INFLUX timeouts are 30 s: launch() gives up after 30 s, so listening had to come first.
    const gateway = await GatewayProcess.start({ INFLUX_URL: hung.url, INFLUX_DB: DB, RETRY_MAX_MS: '300' });
    try {
      assert.ok(hung.heldCount > 0, 'the gateway is waiting on InfluxDB');
      const r = await gateway.post([{ type: 'visit', time: Date.UTC(2020, 3, 1, 9), path: '/while-hung' }]);
      assert.equal(r.status, 202, 'events are accepted while InfluxDB hangs');
      const [none] = await influx.query('SHOW DATABASES', '_internal');
      assert.ok(!(none?.values ?? []).flat().includes(DB), 'nothing reached InfluxDB yet');
      hung.release();
      await gateway
        .drained(40_000)
        .catch((err: Error) => assert.fail(`${err.message}\n${gateway.output.slice(-3000)}`));
      const [n] = await influx.rows(`SELECT count("count") AS n FROM "visit"`, DB);
      assert.equal(n?.n, 1);
      const policies = await influx.query(`SHOW RETENTION POLICIES ON "${DB}"`, DB);
      assert.ok(
        policies[0]!.values.some((v) => v[0] === 'rollups'),
        'the database was prepared in the background'
      );
    } finally {
      await gateway.stop();
      hung.close();
    }
  });

  test('a port already in use: exit non-zero, naming the address', async () => {
    const taken = createTcpServer();
    const port = await freePort();
    await new Promise<void>((r) => taken.listen(port, '127.0.0.1', r));
    try {
      const started = Date.now();
      const { code, stderr, stdout } = await runCli(['serve'], {
        HOST: '127.0.0.1',
        PORT: String(port),
        INFLUX_URL: influx.url,
        INFLUX_DB: 'startup_port',
        DATA_DIR: `${influx.dir}/port-data`,
      });
      assert.equal(code, 1, stdout + stderr);
      assert.match(stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use`));
      assert.doesNotMatch(stdout, /gateway listening/);
      assert.ok(Date.now() - started < 20_000, 'it exits rather than lingering');
    } finally {
      taken.close();
    }
  });
});
