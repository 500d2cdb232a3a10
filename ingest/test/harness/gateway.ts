import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/log.js';
import { waitFor } from '@kibotics/test-kit/ports';

/** The gateway in this process, on a free port, with its own DATA_DIR and a captured log. */
export class TestGateway {
  private constructor(
    private gateway: Gateway,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
    /** Every line the gateway logged. */
    readonly logLines: string[]
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.gateway.port}`;
  }

  static async start(env: Record<string, string>): Promise<TestGateway> {
    const dataDir = mkdtempSync(join(tmpdir(), 'gateway-'));
    // Tests use dates of the real logs' era (2019–2020): raw points are kept forever unless a test sets RETENTION_DAYS.
    const full = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'debug', RETENTION_DAYS: '0', ...env };
    const logLines: string[] = [];
    const gateway = await startGateway(loadConfig(full), capturedLogger(full.LOG_LEVEL, logLines));
    return new TestGateway(gateway, dataDir, full, logLines);
  }

  /** Closes and opens again on the same DATA_DIR (a clean restart). */
  async restart(): Promise<void> {
    await this.gateway.close(2000);
    this.gateway = await startGateway(
      loadConfig({ ...this.env, PORT: '0' }),
      capturedLogger(this.env.LOG_LEVEL!, this.logLines)
    );
  }

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

  /** Waits until everything accepted so far is in InfluxDB. */
  async drained(timeoutMs = 15_000): Promise<void> {
    await waitFor(
      'the spool to drain',
      async () => {
        const h = await this.health();
        return h.spool.lines === 0 && h.spool.rollups === 0;
      },
      timeoutMs
    );
  }

  async stop(): Promise<void> {
    await this.gateway.close(2000);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function capturedLogger(level: string, sink: string[]) {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => sink.push(...chunk.toString().split('\n').filter(Boolean)));
  return createLogger(level, stream);
}
