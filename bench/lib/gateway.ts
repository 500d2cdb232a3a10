/**
 * The gateway as users run it: its own process (`kibotics-analytics serve`, through tsx like the
 * integration harness), on a free loopback port with a fresh DATA_DIR. Unlike the harness's
 * GatewayProcess it exposes the PID (scenario 7 reads /proc/<pid>/status) and keeps no output
 * beyond the last few KB (hours of load must not grow the bench process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@kibotics/test-kit/ports';
import { removeDir, tempDir } from './cleanup.js';
import { until } from './stats.js';

const INGEST = join(import.meta.dirname, '../../ingest');
const CLI = join(INGEST, 'src/cli.ts');

/** Every child this module started, so the runner can kill them on any failure. */
const live = new Set<ChildProcess>();
export function killAllGateways(): void {
  for (const c of live) if (c.exitCode === null) c.kill('SIGKILL');
}

export class GatewayChild {
  private tail = '';
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly dataDir: string
  ) {
    const keep = (d: Buffer) => (this.tail = (this.tail + d.toString()).slice(-4000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * `env`: settings on top of the bench's defaults (no rate limit, warn logs, no stats writes).
   * `nodeArgs`: e.g. --cpu-prof, to see where a scenario's time goes (not allowed in NODE_OPTIONS).
   */
  static async start(
    influxUrl: string,
    env: Record<string, string> = {},
    nodeArgs: string[] = []
  ): Promise<GatewayChild> {
    const port = await freePort();
    const dataDir = tempDir(mkdtempSync(join(tmpdir(), 'bench-gateway-')));
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', CLI, 'serve'], {
      cwd: INGEST,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        INFLUX_URL: influxUrl,
        RATE_LIMIT_RPS: '0',
        LOG_LEVEL: 'warn',
        STATS_INTERVAL_S: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    child.once('exit', () => live.delete(child));
    const g = new GatewayChild(child, port, dataDir);
    try {
      await until(
        'the gateway to listen',
        async () => {
          if (child.exitCode !== null) throw new Error(`gateway exited ${child.exitCode}: ${g.tail}`);
          return (await fetch(`${g.url}/healthz`).catch(() => undefined))?.ok === true;
        },
        30_000,
        100
      );
    } catch (err) {
      await g.stop(); // a gateway that never came up leaves neither a process nor its DATA_DIR
      throw err;
    }
    return g;
  }

  async health(): Promise<{ spool: { lines: number; rollups: number; dead_letters: number } }> {
    return (await fetch(`${this.url}/healthz`)).json() as never;
  }

  /** Waits until every point is in InfluxDB: no raw line and no dirty roll-up left in the spool. */
  async drained(timeoutMs: number): Promise<void> {
    await until(
      'the spool to drain',
      async () => {
        const h = await this.health();
        if (h.spool.dead_letters > 0)
          throw new Error(`the gateway dead-lettered ${h.spool.dead_letters} points: ${this.tail}`);
        return h.spool.lines === 0 && h.spool.rollups === 0;
      },
      timeoutMs,
      50
    );
  }

  /** Resident memory in bytes (VmRSS of /proc/<pid>/status), or NaN once the process is gone. */
  rss(): number {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : NaN;
    } catch {
      return NaN;
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    removeDir(this.dataDir);
  }
}
