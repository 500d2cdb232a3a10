import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, INGEST, TSX } from './ingest.js';
import { freePort, waitFor } from './ports.js';

/**
 * The gateway as its own process (`kibotics-analytics serve`), for what only a real process shows:
 * SIGKILL, SIGTERM, exit codes, what it prints. Restarts keep the port and DATA_DIR.
 */
export class GatewayProcess {
  /** Everything the process printed on stdout and stderr, across restarts. */
  output = '';
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly env: Record<string, string>
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(env: Record<string, string>): Promise<GatewayProcess> {
    const gateway = new GatewayProcess(await freePort(), mkdtempSync(join(tmpdir(), 'gateway-proc-')), env);
    await gateway.launch();
    return gateway;
  }

  async launch(): Promise<void> {
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'serve'], {
      cwd: INGEST,
      // Tests use dates of the real logs' era (2019–2020): raw points are kept forever unless a test sets RETENTION_DAYS.
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(this.port),
        DATA_DIR: this.dataDir,
        RETENTION_DAYS: '0',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child = child;
    await waitFor(
      'the gateway to listen',
      async () => {
        if (child.exitCode !== null) throw new Error(`gateway exited ${child.exitCode}: ${this.output.slice(-2000)}`);
        return (await fetch(`${this.url}/healthz`)).ok;
      },
      30_000
    );
  }

  /** Kills with SIGKILL: no shutdown code runs. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Sends a signal and waits for the exit; returns the exit code. */
  async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    this.child = undefined;
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    });
  }

  async post(body: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.url}/v1/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async health(): Promise<any> {
    return (await fetch(`${this.url}/healthz`)).json();
  }

  async drained(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      'the spool to drain',
      async () => {
        const h = await this.health();
        return h.spool.lines === 0 && h.spool.rollups === 0;
      },
      timeoutMs,
      100
    );
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
