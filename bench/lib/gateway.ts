/**
 * The gateway as users run it: the test kit's GatewayProcess (`kibotics-analytics serve` as its own
 * process, on a free loopback port with a fresh DATA_DIR) with the bench's settings. It keeps no
 * output beyond the last few KB (hours of load must not grow the bench process).
 */
import { readFileSync } from 'node:fs';
import { GatewayProcess, killAllGatewayProcesses } from '@kibotics/test-kit/gateway-process';
import { tempDir } from './cleanup.js';

export { GatewayProcess, killAllGatewayProcesses as killAllGateways };

/**
 * `env`: settings on top of the bench's defaults (no rate limit, warn logs, no stats writes, the
 * gateway's default retention). `nodeArgs`: e.g. --cpu-prof, to see where a scenario's time goes.
 */
export async function startGateway(
  influxUrl: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = []
): Promise<GatewayProcess> {
  const gateway = await GatewayProcess.start(
    {
      INFLUX_URL: influxUrl,
      RATE_LIMIT_RPS: '0',
      LOG_LEVEL: 'warn',
      STATS_INTERVAL_S: '0',
      RETENTION_DAYS: '',
      ...env,
    },
    { nodeArgs, outputLimit: 4000 }
  );
  tempDir(gateway.dataDir); // removed even if the run is interrupted
  return gateway;
}

/** Waits until every point is in InfluxDB; a dead-lettered point fails the scenario at once. */
export function drained(gateway: GatewayProcess, timeoutMs: number): Promise<void> {
  return gateway.drained(timeoutMs, { noDeadLetters: true, everyMs: 50 });
}

/** Resident memory in bytes (VmRSS of /proc/<pid>/status), or NaN once the process is gone. */
export function rss(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}
