import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayHttp } from './gateway-http.js';
import { CLI, INGEST, TSX } from './ingest.js';
import { freePort, waitFor } from './ports.js';

export interface GatewayProcessOptions {
  /** Node's own flags before the CLI, e.g. --cpu-prof (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
  /** Keep only the last this many characters of output: hours of load must not grow the caller. */
  outputLimit?: number;
}

/** Every gateway started here and still running, so a runner can kill them all on any failure. */
const live = new Set<ChildProcess>();
export function killAllGatewayProcesses(): void {
  for (const child of live) if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * The gateway as its own process (`kibotics-analytics serve`), for what only a real process shows:
 * SIGKILL, SIGTERM, exit codes, what it prints, its memory. Restarts keep the port and DATA_DIR.
 */
export class GatewayProcess extends GatewayHttp {
  /** Everything the process printed on stdout and stderr, across restarts (its tail with `outputLimit`). */
  output = '';
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
    private readonly options: GatewayProcessOptions
  ) {
    super();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The running process's id (undefined between a stop and a launch). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  static async start(env: Record<string, string>, options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
    const gateway = new GatewayProcess(await freePort(), mkdtempSync(join(tmpdir(), 'gateway-proc-')), env, options);
    try {
      await gateway.launch();
    } catch (err) {
      await gateway.stop(); // a gateway that never came up leaves neither a process nor its DATA_DIR
      throw err;
    }
    return gateway;
  }

  async launch(): Promise<void> {
    const child = spawn(process.execPath, [...(this.options.nodeArgs ?? []), '--import', TSX, CLI, 'serve'], {
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
    const limit = this.options.outputLimit;
    const keep = (d: Buffer) => {
      this.output += d.toString();
      if (limit !== undefined && this.output.length > limit) this.output = this.output.slice(-limit);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    live.add(child);
    child.once('exit', () => live.delete(child));
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

  protected recentOutput(): string {
    return this.output.slice(-2000);
  }

  /** SIGTERM (a SIGKILL if it has not exited 15 s later), then its DATA_DIR removed. */
  async stop(): Promise<void> {
    const child = this.child;
    const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
    await this.signal('SIGTERM');
    clearTimeout(timer);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
