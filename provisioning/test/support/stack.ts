/**
 * A real InfluxDB filled the way `docker compose --profile demo up` fills it: the gateway as its own
 * process with the compose file's settings, and the demo command posting to it over HTTP.
 */
import { runCli } from '@kibotics/test-kit/cli';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';
import { waitFor } from '@kibotics/test-kit/ports';
import { compose, composeEnv, readYaml } from './files.js';

export const GATEWAY_BUCKET_MS = 20_000;

export interface Stack {
  influx: Influxd;
  db: string;
  /** When the demo's history ends (its `end`): nothing was generated at or after it. */
  demoEnd: number;
  /** Events the demo posted (its own count). */
  posted: number;
  days: number;
  users: number;
  seed: number;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const services = compose().services;
  const env = composeEnv(services.gateway!);
  const db = readYaml('provisioning/datasources/influxdb.yaml').datasources[0].jsonData.dbName as string;
  // The harness picks the port, address and data directory; reports every second so a short test sees several.
  for (const own of ['PORT', 'HOST', 'DATA_DIR']) delete env[own];
  const influx = await Influxd.start();
  const gateway = await GatewayProcess.start({
    ...env,
    INFLUX_URL: influx.url,
    INFLUX_DB: db,
    STATS_INTERVAL_S: '1',
    LOG_LEVEL: 'warn',
  });
  try {
    const args = [...services.demo!.command!];
    const option = (name: string) => Number(args[args.indexOf(name) + 1]);
    const [days, users] = [option('--days'), option('--users')];
    const seed = 1;
    const demoArgs = args.filter((a) => a !== '--live').map((a) => (a.startsWith('http://gateway:') ? gateway.url : a));
    // The Gateway dashboard shows increases of counters between buckets (20 s at its default range):
    // a report before any event, in an earlier bucket than the events, makes the increase visible.
    const lastReport = async () =>
      (await influx.query('SELECT last("received") FROM "gateway"', db))[0]?.values[0] as [number, number] | undefined;
    const [firstReport] = await waitFor('a first gateway report', lastReport, 15_000, 100);
    await waitFor(
      'the next 20-second bucket',
      async () => Math.floor(Date.now() / GATEWAY_BUCKET_MS) > Math.floor(firstReport / GATEWAY_BUCKET_MS),
      25_000,
      100
    );
    const demoEnd = Date.now();
    const r = await runCli([...demoArgs, '--seed', String(seed)], composeEnv(services.demo!));
    if (r.code !== 0) throw new Error(`demo failed: ${r.stderr}${r.stdout}`);
    const posted = Number(/demo: (\d+) events/.exec(r.stdout)?.[1]);
    await gateway.drained(60_000);
    await waitFor('a gateway report of every event', async () => (await lastReport())?.[1] === posted, 15_000, 200);
    return {
      influx,
      db,
      demoEnd,
      posted,
      days,
      users,
      seed,
      async stop() {
        await gateway.stop();
        await influx.stop();
      },
    };
  } catch (err) {
    await gateway.stop();
    await influx.stop();
    throw err;
  }
}
