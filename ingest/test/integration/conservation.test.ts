import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '@kibotics/test-kit/cli';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';
import { seeded } from '@kibotics/test-kit/random';

/**
 * Conservation (issue 12): concurrent clients post events with unique ids while the gateway is
 * SIGKILLed and restarted, InfluxDB is frozen, killed and restarted, a second writer imports into the
 * same buckets, InfluxDB refuses oversized requests (a small max-body-size) and, as root, the disk
 * holding DATA_DIR fills up. Then: every acknowledged event is in InfluxDB exactly once, nothing is
 * there that was not sent, and every roll-up total equals the count of the raw points it sums.
 *
 * CONSERVATION_SECONDS sets how long faults are injected (default 40: `npm test`); `npm run soak`
 * runs it for 10 minutes. CONSERVATION_SEED replays a run's random choices.
 */

const SECONDS = Number(process.env.CONSERVATION_SECONDS ?? 40);
/** How long after the run a client may still be refused before the test fails instead of waiting. */
const GIVE_UP_MS = 180_000;
const SEED = Number(process.env.CONSERVATION_SEED ?? Date.now() % 1_000_000);
const DB = 'conservation';
const BASE = Date.UTC(2020, 2, 2, 9); // Monday 2 March 2020, 10:00 in Madrid: four 15-minute buckets follow
const HOUR = 3_600_000;
const IMPORTED = 300;
const root = process.getuid?.() === 0;

const rnd = seeded(SEED);
const pick = (n: number) => Math.floor(rnd() * n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let influx: Influxd;
let gateway: GatewayProcess;
let work: string;
let mount: string | undefined;
let gatewayDataDir: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'conservation-'));
  // Far under the gateway's BATCH_MAX_BYTES below: most backlog writes are refused with 413 and must be split.
  // Every client login is a user of its own: a long soak passes InfluxDB's 100,000 values of one tag
  // per shard, which it refuses (dead letters, counted); not what this test is about.
  influx = await Influxd.start({ maxBodySize: 64 * 1024, maxValuesPerTag: 0 });
  let dataDir = join(work, 'gateway');
  if (root) {
    mount = join(work, 'small-fs');
    mkdirSync(mount);
    // Dedup keys stay on that disk for good (tens of bytes an event): a longer run needs a larger disk,
    // or the gateway rightly stays full at the end and its clients wait forever.
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${48 + Math.ceil(SECONDS / 4)}m`, 'tmpfs', mount]);
    dataDir = join(mount, 'data');
  }
  mkdirSync(dataDir, { recursive: true });
  gatewayDataDir = dataDir;
  gateway = await GatewayProcess.start({
    INFLUX_URL: influx.url,
    INFLUX_DB: DB,
    DATA_DIR: dataDir,
    BATCH_MAX_BYTES: String(256 * 1024),
    RETRY_MAX_MS: '500',
    FLUSH_INTERVAL_MS: '50',
    RATE_LIMIT_RPS: '0',
    STATS_INTERVAL_S: '0',
    SHUTDOWN_GRACE_MS: '500',
    LOG_LEVEL: 'warn',
  });
  await influx.prepared(DB);
});

after(async () => {
  influx?.thaw();
  await gateway?.signal('SIGKILL');
  if (mount) execFileSync('umount', ['-l', mount]);
  await influx?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Sent {
  ids: Set<string>;
  requests: number;
  retries: number;
  statuses: Map<string, number>;
}

/** A client: requests of 1–40 events with unique ids, each sent again until it is acknowledged. */
async function client(name: string, runEnd: number, sent: Sent): Promise<void> {
  const until = () => Date.now() >= runEnd;
  for (let n = 0; !until();) {
    const events = Array.from({ length: 1 + pick(40) }, () => {
      const id = `${name}-${n++}`;
      // 400 distinct milliseconds over the hour: many events share a millisecond (and a series).
      const time = BASE + pick(400) * 9000;
      // Logins share sessions_15m with the importer's: two writers' totals of the same buckets.
      const type = pick(3);
      // Visits: signed in or not, crawler or not (visit_totals_15m's tags).
      if (type === 0)
        return {
          type: 'visit',
          id,
          time,
          path: `/e/${id}`,
          ...(pick(2) === 0 ? { user: id } : {}),
          ...(pick(2) === 0
            ? { user_agent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }
            : {}),
        };
      if (type === 1) return { type: 'error', id, time, status: 500, message: id };
      return { type: 'session_start', id, time, user: id };
    });
    for (const e of events) sent.ids.add(e.id);
    sent.requests++;
    for (let attempt = 0; ; attempt++) {
      let status: string;
      try {
        const response = await fetch(`${gateway.url}/v1/events`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(events),
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await response.json().catch(() => ({}))) as { accepted?: number; duplicates?: number };
        status = String(response.status);
        if (response.status === 202) {
          assert.equal(
            (body.accepted ?? 0) + (body.duplicates ?? 0),
            events.length,
            'every event of a 202 is new or a repeat'
          );
          sent.statuses.set(status, (sent.statuses.get(status) ?? 0) + 1);
          break;
        }
      } catch {
        status = 'no answer';
      }
      sent.statuses.set(status, (sent.statuses.get(status) ?? 0) + 1);
      sent.retries++;
      // Faults stop with the run: a gateway still refusing long after it has not recovered (a failure, not a wait).
      if (until() && Date.now() > runEnd + GIVE_UP_MS) {
        throw new Error(
          `${name}: still answered ${status} ${GIVE_UP_MS / 1000} s after the faults ended: ${JSON.stringify(await gateway.health().catch(() => 'no health'))}`
        );
      }
      await sleep(100 + pick(200));
    }
    // Paced: a Django site's bursts, not a flood; the backlog of an outage stays what minutes of it would be.
    await sleep(pick(40));
  }
}

/** Kibotics log lines of IMPORTED logins in the same hour (Madrid time), one user each. */
function importFile(): string {
  const dir = join(work, 'logs');
  mkdirSync(dir, { recursive: true });
  const lines = Array.from({ length: IMPORTED }, (_, i) => {
    const s = Math.floor((i * 3600) / IMPORTED);
    const hh = String(10 + Math.floor(s / 3600)).padStart(2, '0');
    const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    return `1 | 02/03/2020 ${hh}:${mm}:${ss} | imp_${i} | 192.0.2.10 | Mozilla/5.0 (X11; Linux x86_64; rv:70.0) Gecko/20100101 Firefox/70.0`;
  });
  writeFileSync(join(dir, '2020-03-02-log.txt'), `${lines.join('\n')}\n`);
  return dir;
}

test(
  `every acknowledged event is in InfluxDB exactly once and roll-ups agree with raw points, under faults (${SECONDS} s, seed ${SEED})`,
  { timeout: (SECONDS * 3 + 600) * 1000 },
  async () => {
    const started = Date.now();
    const end = started + SECONDS * 1000;
    const sent: Sent = { ids: new Set(), requests: 0, retries: 0, statuses: new Map() };
    const faults: Record<string, number> = {};
    const importEnv = { INFLUX_URL: influx.url, INFLUX_DB: DB, DATA_DIR: join(work, 'importer'), LOG_LEVEL: 'error' };
    const logs = importFile();

    const clients = Array.from({ length: 4 }, (_, i) => client(`c${i}`, end, sent));
    const importing = (async () => {
      await sleep(SECONDS * 300);
      return runCli(['import', '--wait', '5', '--json', logs], importEnv);
    })();

    const chaos = (async () => {
      // Every fault in turn, in a shuffled order each round, so even a short run injects each one.
      const kinds = [
        'kill gateway',
        'freeze influxdb',
        'kill influxdb',
        'stop influxdb',
        ...(mount ? ['fill disk'] : []),
      ];
      let round: string[] = [];
      while (Date.now() < end - 3000) {
        await sleep(1000 + pick(2000));
        if (round.length === 0) round = [...kinds].sort(() => rnd() - 0.5);
        const action = round.pop()!;
        faults[action] = (faults[action] ?? 0) + 1;
        switch (action) {
          case 'kill gateway':
            await gateway.kill();
            await sleep(pick(1000));
            await gateway.launch();
            break;
          case 'freeze influxdb':
            influx.freeze();
            await sleep(1000 + pick(4000));
            influx.thaw();
            break;
          case 'kill influxdb':
            await influx.crash();
            await sleep(pick(3000));
            await influx.resume();
            break;
          case 'stop influxdb':
            await influx.pause();
            await sleep(pick(3000));
            await influx.resume();
            break;
          case 'fill disk': {
            // Leave about 64 KB free for a few seconds: ingest must refuse (507), delivery must go on.
            const ballast = join(mount!, 'ballast');
            const free = statfsSync(mount!).bavail * statfsSync(mount!).bsize;
            try {
              if (free > 128 * 1024) writeFileSync(ballast, Buffer.alloc(free - 64 * 1024));
            } catch (err) {
              // The gateway wrote meanwhile and the disk filled first: full all the same.
              if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
            }
            try {
              await sleep(1000 + pick(3000));
            } finally {
              rmSync(ballast, { force: true });
            }
            break;
          }
        }
      }
    })();

    await Promise.all([chaos, ...clients]);
    const firstImport = await importing;
    assert.equal(firstImport.code, 0, firstImport.stderr);

    // Faults over: everything acknowledged must now reach InfluxDB (a backlog takes a while through 64 KB writes).
    await gateway.drained(Math.max(120_000, sent.ids.size * 5)).catch(async (err: Error) => {
      throw new Error(
        `${err.message}: ${JSON.stringify(await gateway.health())}, ${sent.ids.size} events sent; ${gateway.output.slice(-1500)}`
      );
    });
    // The importer's own spool: a second run delivers what the first left and stores nothing twice.
    const secondImport = await runCli(['import', '--wait', '120', '--json', logs], importEnv);
    assert.equal(secondImport.code, 0, secondImport.stderr);
    const second = JSON.parse(secondImport.stdout.trim().split('\n').at(-1)!);
    assert.deepEqual([second.accepted, second.duplicates, second.waiting_for_influxdb], [0, IMPORTED, 0]);

    // Nothing in this run is refused for good: no dead letters on either writer.
    for (const dir of [gatewayDataDir, importEnv.DATA_DIR]) {
      const dead = await runCli(['dead-letters', 'list', '--limit', '3'], { DATA_DIR: dir });
      assert.match(dead.stdout, /^0 dead letter\(s\)/, `${dir}: ${dead.stdout}${dead.stderr}`);
    }
    const range = `time >= ${BASE}ms AND time < ${BASE + HOUR}ms`;
    const rows = (q: string) => influx.rows(q, DB);

    // Exactly once, nothing foreign: each stored event names its id (a visit's path, an error's
    // message, a login's user); the importer's logins are users imp_0 … imp_299.
    const logins = await rows(`SELECT "count", "user" FROM "session_start" WHERE ${range}`);
    const imported = logins.filter((r) => /^imp_\d+$/.test(String(r.user)));
    assert.equal(
      imported.length,
      IMPORTED,
      `every imported login once; the imports said ${firstImport.stdout.slice(-400)} then ${secondImport.stdout.slice(-400)}`
    );
    assert.equal(new Set(imported.map((r) => r.user)).size, IMPORTED);
    const stored = [
      ...(await rows(`SELECT "path" FROM "visit" WHERE ${range}`)).map((r) => String(r.path).slice('/e/'.length)),
      ...(await rows(`SELECT "message" FROM "error" WHERE ${range}`)).map((r) => String(r.message)),
      ...logins.filter((r) => !/^imp_\d+$/.test(String(r.user))).map((r) => String(r.user)),
    ];
    const counts = new Map<string, number>();
    for (const id of stored) counts.set(id, (counts.get(id) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const missing = [...sent.ids].filter((id) => !counts.has(id));
    const foreign = [...counts.keys()].filter((id) => !sent.ids.has(id));
    assert.deepEqual(
      { twice: twice.slice(0, 10), missing: missing.slice(0, 10), foreign: foreign.slice(0, 10) },
      { twice: [], missing: [], foreign: [] }
    );
    assert.equal(stored.length, sent.ids.size);

    // Roll-ups, summed over their series (writers), equal the raw points of each bucket.
    const perBucket = async (q: string) =>
      new Map((await rows(`${q} WHERE ${range} GROUP BY time(15m) fill(0)`)).map((r) => [r.time, r.n]));
    for (const [rollup, raw] of [
      ['SELECT sum("visits") AS n FROM "rollups"."visits_15m"', 'SELECT count("count") AS n FROM "visit"'],
      ['SELECT sum("visits") AS n FROM "rollups"."visit_totals_15m"', 'SELECT count("count") AS n FROM "visit"'],
      ['SELECT sum("errors") AS n FROM "rollups"."errors_15m"', 'SELECT count("count") AS n FROM "error"'],
      ['SELECT sum("starts") AS n FROM "rollups"."sessions_15m"', 'SELECT count("count") AS n FROM "session_start"'],
    ] as const) {
      assert.deepEqual(await perBucket(rollup), await perBucket(raw), rollup);
    }
    // visit_totals_15m is visits_15m without the client tags: equal per bucket, bot and anonymous.
    const byBotAndAnonymous = async (m: string) =>
      new Map(
        (
          await rows(
            `SELECT sum("visits") AS n FROM "rollups"."${m}" WHERE ${range} GROUP BY time(15m), "bot", "anonymous" fill(none)`
          )
        ).map((r) => [`${r.time} bot=${r.bot} anonymous=${r.anonymous}`, r.n])
      );
    const summed = await byBotAndAnonymous('visits_15m');
    const keys = [...summed.keys()].join(' ');
    assert.ok(/bot=true/.test(keys) && /anonymous=false/.test(keys), `both tags vary: ${keys.slice(0, 300)}`);
    assert.deepEqual(await byBotAndAnonymous('visit_totals_15m'), summed);

    const seconds = (Date.now() - started) / 1000;
    console.log(
      `conservation: seed ${SEED}, ${SECONDS} s of faults (${JSON.stringify(faults)}), ${sent.ids.size} events in ${sent.requests} requests ` +
        `acknowledged (${sent.retries} retries; answers ${JSON.stringify(Object.fromEntries(sent.statuses))}), ${IMPORTED} imported by a second writer; ` +
        `all in InfluxDB exactly once, roll-ups equal to raw points; ${seconds.toFixed(0)} s in all`
    );
  }
);
