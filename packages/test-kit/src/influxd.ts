import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.js';

export interface SeriesResult {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

/**
 * A real InfluxDB 1.x server (Debian's influxd) on free loopback ports, with all its files in a
 * temp dir. It can be stopped and started again on the same port and data (outage tests).
 */
export class Influxd {
  private child?: ChildProcess;
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly configPath: string
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `maxBodySize`: bytes per request before InfluxDB answers 413 (its default: 25 MB); `auth`: authentication on. */
  static async start(
    options: { maxBodySize?: number; auth?: boolean; maxValuesPerTag?: number } = {}
  ): Promise<Influxd> {
    const dir = mkdtempSync(join(tmpdir(), 'influxd-'));
    const [port, rpc] = [await freePort(), await freePort()];
    const configPath = join(dir, 'influxdb.conf');
    writeFileSync(
      configPath,
      `reporting-disabled = true
bind-address = "127.0.0.1:${rpc}"
[meta]
  dir = "${join(dir, 'meta')}"
  logging-enabled = false
[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
  trace-logging-enabled = false
${options.maxValuesPerTag === undefined ? '' : `  max-values-per-tag = ${options.maxValuesPerTag}\n`}[http]
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
  auth-enabled = ${options.auth === true}
${options.maxBodySize === undefined ? '' : `  max-body-size = ${options.maxBodySize}\n`}[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[logging]
  level = "error"
`
    );
    const influxd = new Influxd(dir, port, configPath);
    await influxd.resume();
    return influxd;
  }

  /** Starts (again) on the same port and files; `timeoutMs`: how long it may take to answer /ping (it opens every shard first). */
  async resume(timeoutMs = 20_000): Promise<void> {
    if (this.child) return;
    const child = spawn('influxd', ['run', '-config', this.configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`influxd exited (${code}): ${stderr}`)))
    );
    this.child = child;
    await Promise.race([
      exited,
      waitFor('influxd /ping', async () => (await fetch(`${this.url}/ping`)).status === 204, timeoutMs),
    ]);
    exited.catch(() => undefined);
  }

  /** Stops the server (an outage); its data stays for resume(). */
  pause(): Promise<void> {
    return this.end('SIGTERM');
  }

  /** SIGSTOP: the server keeps its connections and answers nothing (a hung InfluxDB) until thaw(). */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** SIGKILL: a crash, no shutdown; resume() starts it again on the same files. */
  crash(): Promise<void> {
    return this.end('SIGKILL');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  async stop(): Promise<void> {
    this.thaw();
    await this.pause();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs InfluxQL and returns the series of the first statement (throws on an error). */
  async query(q: string, db: string): Promise<SeriesResult[]> {
    const response = await fetch(`${this.url}/query?${new URLSearchParams({ db, q, epoch: 'ms' })}`, {
      method: 'POST',
    });
    const body = (await response.json()) as {
      results?: Array<{ series?: SeriesResult[]; error?: string }>;
      error?: string;
    };
    const first = body.results?.[0];
    if (body.error || first?.error) throw new Error(`InfluxQL error for ${q}: ${body.error ?? first?.error}`);
    return first?.series ?? [];
  }

  /** Waits until a gateway has prepared `db` (it does so in the background once it listens): both retention policies exist. */
  async prepared(db: string): Promise<void> {
    await waitFor(
      `the gateway to prepare ${db}`,
      async () => (await this.query(`SHOW RETENTION POLICIES ON "${db}"`, db))[0]?.values.length === 2
    );
  }

  /** The rows of a query as objects (columns → values), across all series, with the series' tags merged in. */
  async rows(q: string, db: string): Promise<Array<Record<string, unknown>>> {
    const series = await this.query(q, db);
    return series.flatMap((s) =>
      s.values.map((v) => ({ ...s.tags, ...Object.fromEntries(s.columns.map((c, i) => [c, v[i]])) }))
    );
  }
}
