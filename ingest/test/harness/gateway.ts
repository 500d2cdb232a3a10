import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/log.js';
import { GatewayHttp } from '@kibotics/test-kit/gateway-http';

/** The gateway in this process, on a free port, with its own DATA_DIR and a captured log. */
export class TestGateway extends GatewayHttp {
  private constructor(
    private gateway: Gateway,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
    /** Every line the gateway logged. */
    readonly logLines: string[]
  ) {
    super();
  }

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

  protected recentOutput(): string {
    return this.logLines.slice(-20).join('\n');
  }

  /** Waits until everything accepted so far is in InfluxDB (in this process, it is soon: 15 s). */
  override drained(timeoutMs = 15_000, options: { noDeadLetters?: boolean; everyMs?: number } = {}): Promise<void> {
    return super.drained(timeoutMs, { everyMs: 50, ...options });
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
