import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pipelineSink } from '../../src/commands/sinks.js';
import { loadConfig } from '../../src/config.js';
import { openCore, type Core } from '../../src/gateway.js';
import { candidatesOf, parseLines } from '../../src/importers/index.js';
import { createLogger } from '../../src/log.js';
import { ROLLUP_RP } from '@kibotics/schema';
import { runCli } from '@kibotics/test-kit/cli';
import { TestGateway } from '../harness/gateway.js';
import { Influxd } from '@kibotics/test-kit/influxd';
import { waitFor } from '@kibotics/test-kit/ports';
import { seeded } from '@kibotics/test-kit/random';

/**
 * One "accept these events" use case behind every way in: the same batch through POST /v1/events,
 * POST /v1/logs, `import` and the in-process call the demo and the bench make gives the same
 * counts and the same points in a real InfluxDB, and every way counts by one rule.
 */

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0 Safari/537.36';
const MAX = 200;

/** A day of Kibotics log lines: events of several kinds, repeats, lines that are no event, events validation refuses. */
function batch(seed: number): { day: string; lines: string[] } {
  const rnd = seeded(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const dd = String(3 + seed).padStart(2, '0');
  const users = Array.from({ length: 6 }, (_, i) => `p${seed}_user_${i}`);
  const lines: string[] = [];
  let minute = 8 * 60;
  const date = () => {
    minute += 1 + Math.floor(rnd() * 7);
    const hh = String(Math.floor(minute / 60)).padStart(2, '0');
    const mm = String(minute % 60).padStart(2, '0');
    return `${dd}/02/2020 ${hh}:${mm}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}`;
  };
  const ip = () => `192.0.2.${1 + Math.floor(rnd() * 200)}`;
  const sim = (code: number, user: string, exercise: string) =>
    `${code} | ${date()} | ${user} | ${ip()} | websim | ${exercise} | 198.51.100.2 | [NO CONTAINER] Browser | ${UA}`;
  lines.push(`1 | ${date()} | ${users[0]} | ${ip()} | ${UA}`); // a dated first line: error lines take their time from it
  const n = 60 + Math.floor(rnd() * 60);
  while (lines.length < n) {
    const user = pick(users);
    const r = rnd();
    if (r < 0.2) lines.push(`1 | ${date()} | ${user} | ${ip()} | ${UA}`);
    else if (r < 0.35) lines.push(`2 | ${date()} | ${user} | ${ip()} | ${UA}`);
    else if (r < 0.5) lines.push(sim(3, user, pick(['sigue_linea_f1', 'laberinto_drone', 'vacuum_cleaner'])));
    else if (r < 0.62) lines.push(sim(4, user, pick(['sigue_linea_f1', 'laberinto_drone', 'vacuum_cleaner'])));
    else if (r < 0.67) lines.push('5 | 500 Internal Server Error');
    else if (r < 0.78)
      lines.push(pick(lines)); // a repeat: a duplicate (or the same refusal again)
    else if (r < 0.82)
      lines.push(pick(['nonsense', `1 | ${date()}`, `1 | 31/02/2020 10:00:00 | ${user} | ${ip()} | ${UA}`]));
    else if (r < 0.86)
      lines.push(`1 | ${date()} | ${'x'.repeat(151)} | ${ip()} | ${UA}`); // user: too long
    else if (r < 0.9)
      lines.push(sim(3, user, 'e'.repeat(129))); // exercise: too long
    else if (r < 0.93)
      lines.push(`1 | 01/01/2099 10:00:00 | ${user} | ${ip()} | ${UA}`); // time: in the future
    else if (r < 0.96) lines.push('');
    else lines.push(`2 | ${date()} | ${user} | ${ip()} | ${UA}`);
  }
  return { day: `2020-02-${dd}`, lines };
}

/** What a way in said about one batch, in one shape: counts, and the refusals' messages with their lines. */
interface Said {
  accepted: number;
  duplicates: number;
  /** `line: error`, sorted. */
  rejected: string[];
}

const sorted = (xs: string[]) => [...xs].sort();

let influx: Influxd;
let dir: string;
let eventsGateway: TestGateway;
let logsGateway: TestGateway;
let core: Core;
const DB = { events: 'accept_events', logs: 'accept_logs', import: 'accept_import', core: 'accept_core' };

before(async () => {
  influx = await Influxd.start();
  dir = mkdtempSync(join(tmpdir(), 'accept-'));
  const limits = { INFLUX_URL: influx.url, MAX_EVENTS_PER_REQUEST: String(MAX) };
  eventsGateway = await TestGateway.start({ ...limits, INFLUX_DB: DB.events });
  logsGateway = await TestGateway.start({ ...limits, INFLUX_DB: DB.logs });
  const config = loadConfig({
    DATA_DIR: join(dir, 'core'),
    INFLUX_URL: influx.url,
    INFLUX_DB: DB.core,
    RETENTION_DAYS: '0',
    LOG_LEVEL: 'warn',
  });
  core = openCore(config, createLogger('warn', process.stderr));
  await core.influx.ensureDatabase();
  core.deliverer.start();
});
after(async () => {
  await eventsGateway?.stop();
  await logsGateway?.stop();
  if (core) {
    await core.deliverer.stop(Date.now() + 2000);
    await core.close();
  }
  await influx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function metrics(gateway: TestGateway): Promise<Record<string, number>> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^(kibotics_(?:events|requests)_\w+(?:\{[^}]*\})?) (\S+)$/gm))
    out[m[1]!] = Number(m[2]);
  return out;
}

const diff = (a: Record<string, number>, b: Record<string, number>) => {
  const out: Record<string, number> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = (b[k] ?? 0) - (a[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
};

/** The rule: every candidate of a batch taken counts as received and as exactly one of accepted, duplicate, rejected. */
function assertConserved(counted: Record<string, number>, said: Said, candidates: number): void {
  const rejected = Object.entries(counted)
    .filter(([k]) => k.startsWith('kibotics_events_rejected_total'))
    .reduce((a, [, v]) => a + v, 0);
  assert.equal(counted.kibotics_events_received_total ?? 0, candidates, JSON.stringify(counted));
  assert.equal(counted.kibotics_events_accepted_total ?? 0, said.accepted);
  assert.equal(counted.kibotics_events_duplicate_total ?? 0, said.duplicates);
  assert.equal(rejected, said.rejected.length);
  assert.equal(candidates, said.accepted + said.duplicates + said.rejected.length);
}

/** Every point of a database, as comparable text: each roll-up's writer tag is its store's own, so it is left out. */
async function points(db: string): Promise<string[]> {
  const out: string[] = [];
  for (const rp of ['autogen', ROLLUP_RP]) {
    for (const s of await influx.query(`SELECT * FROM "${rp}"./.*/`, db)) {
      if (s.name === 'gateway') continue; // the gateway's own figures, not the events'
      for (const v of s.values) {
        const row = Object.fromEntries(
          s.columns.map((c, i) => [c, v[i]]).filter(([c, x]) => c !== 'writer' && x !== null)
        );
        out.push(`${rp}.${s.name} ${JSON.stringify(row)}`);
      }
    }
  }
  return out.sort();
}

async function coreDrained(): Promise<void> {
  await waitFor('the core to deliver', async () => {
    const s = core.spool.stats();
    return s.lines + s.rollups === 0;
  });
}

describe('accept these events: one use case behind every way in', () => {
  const seeds = [1, 2, 3, 1]; // the last replays the first: all repeats or the same refusals
  const lastSaid: Record<string, Said> = {};

  for (const [i, seed] of seeds.entries()) {
    test(`batch ${i + 1} (seed ${seed}): the same counts through /v1/events, /v1/logs, import and in process`, async () => {
      const { day, lines } = batch(seed);
      const text = lines.join('\n');
      const fileName = `${day}-log.txt`;

      // POST /v1/logs: the lines as the site writes them.
      const beforeLogs = await metrics(logsGateway);
      const logsResponse = await fetch(`${logsGateway.url}/v1/logs`, { method: 'POST', body: text });
      const logsBody = (await logsResponse.json()) as any;
      assert.equal(logsResponse.status, 202, JSON.stringify(logsBody));
      const logs: Said = {
        accepted: logsBody.accepted,
        duplicates: logsBody.duplicates,
        rejected: sorted(logsBody.rejected.map((r: any) => `${r.line}: ${r.error}`)),
      };
      const records = parseLines(lines, fileName, 'kibotics-log');
      const candidates = candidatesOf(records);
      assertConserved(diff(beforeLogs, await metrics(logsGateway)), logs, candidates.length);

      // import: the same lines in a file.
      const folder = join(dir, `batch-${i}`);
      mkdirSync(folder);
      writeFileSync(join(folder, fileName), text);
      const run = await runCli(['import', '--json', folder], {
        INFLUX_URL: influx.url,
        INFLUX_DB: DB.import,
        DATA_DIR: join(dir, 'import-data'),
      });
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      const importRejected = Object.entries(report.rejected as Record<string, { count: number }>).flatMap(([e, r]) =>
        Array.from({ length: r.count }, () => e)
      );
      const importSkipped = Object.entries(report.skips as Record<string, { count: number }>).flatMap(([code, r]) =>
        code === 'blank' ? [] : Array.from({ length: r.count }, () => `skipped: ${code}`)
      );
      const messages = (said: Said) => sorted(said.rejected.map((r) => r.replace(/^\d+: /, '')));
      assert.deepEqual(
        {
          accepted: report.accepted,
          duplicates: report.duplicates,
          rejected: sorted([...importRejected, ...importSkipped]),
        },
        { accepted: logs.accepted, duplicates: logs.duplicates, rejected: messages(logs) }
      );

      // POST /v1/events: the events those lines are, as JSON; the lines that are no event have no JSON to send.
      const eventRecords = records.filter((r) => 'event' in r);
      const beforeEvents = await metrics(eventsGateway);
      const eventsResponse = await eventsGateway.post(eventRecords.map((r) => r.event));
      assert.equal(eventsResponse.status, 202, JSON.stringify(eventsResponse.body));
      const events: Said = {
        accepted: eventsResponse.body.accepted,
        duplicates: eventsResponse.body.duplicates,
        rejected: sorted(eventsResponse.body.rejected.map((r: any) => `${eventRecords[r.index]!.line}: ${r.error}`)),
      };
      assertConserved(diff(beforeEvents, await metrics(eventsGateway)), events, eventRecords.length);
      assert.deepEqual(events, { ...logs, rejected: logs.rejected.filter((r) => !/^\d+: skipped: /.test(r)) });

      // In process, as the demo (without --gateway) and the bench call it.
      const outcome = await core.accept.accept(candidates);
      assert.deepEqual(
        {
          accepted: outcome.accepted,
          duplicates: outcome.duplicates,
          rejected: sorted(outcome.rejected.map((r) => `${r.at.line}: ${r.error}`)),
        },
        logs
      );
      assert.equal(outcome.received, candidates.length);
      lastSaid[seed] = logs;
    });
  }

  test('the replayed batch stored nothing new, and every way stored the same points', async () => {
    assert.equal(lastSaid[1]!.accepted, 0);
    await Promise.all([eventsGateway.drained(), logsGateway.drained(), coreDrained()]);
    const stored = await points(DB.logs);
    assert.ok(stored.length > 100, `${stored.length} points`);
    assert.deepEqual(await points(DB.events), stored);
    assert.deepEqual(await points(DB.import), stored);
    assert.deepEqual(await points(DB.core), stored);
  });

  test("the demo's own sink takes generated events through the same use case", async () => {
    const { lines } = batch(4);
    const valid = parseLines(lines, '2020-02-07-log.txt', 'kibotics-log')
      .filter((r) => 'event' in r)
      .map((r) => r.event)
      .filter((e) => e.user === undefined || e.user.length <= 150)
      .filter((e) => (e.exercise ?? '').length <= 128 && (e.time as number) < Date.now());
    const sink = pipelineSink(core);
    const first = await sink.send(valid);
    assert.ok(first > 10);
    assert.equal(await sink.send(valid), 0, 'a second time: only repeats');
    await assert.rejects(sink.send([{ type: 'visit', bogus: 1 }]), /the demo generated an invalid event \(bogus: /);
  });
});

describe('one counting rule for /v1/events and /v1/logs', () => {
  test('a request over MAX_EVENTS_PER_REQUEST is refused whole and counts no event, on both endpoints', async () => {
    const line = (k: number) =>
      `1 | 05/02/2020 10:${String(k % 60).padStart(2, '0')}:00 | over_${k} | 192.0.2.1 | ${UA}`;
    const lines = Array.from({ length: MAX + 1 }, (_, k) => line(k));
    const events = parseLines(lines, 'request', 'kibotics-log').map((r) => ('event' in r ? r.event : undefined));
    for (const [gateway, send] of [
      [eventsGateway, () => eventsGateway.post(events)],
      [
        logsGateway,
        async () => {
          const r = await fetch(`${logsGateway.url}/v1/logs`, { method: 'POST', body: lines.join('\n') });
          return { status: r.status, body: await r.json() };
        },
      ],
    ] as const) {
      const before = await metrics(gateway);
      const r = await send();
      assert.equal(r.status, 413);
      assert.match(JSON.stringify(r.body), /too many events in one request: 201, at most 200/);
      assert.deepEqual(diff(before, await metrics(gateway)), { 'kibotics_requests_refused_total{status="413"}': 1 });
    }
  });

  test('lines that are no event and broken lines are counted as received and rejected, with their reason', async () => {
    const good = `1 | 06/02/2020 09:00:00 | counted_user | 192.0.2.9 | ${UA}`;
    const body = Buffer.concat([
      Buffer.from(`${good}\nnonsense\n`),
      Buffer.from([0x31, 0x20, 0xff, 0xfe]),
      Buffer.from('\n\n'),
    ]);
    const before = await metrics(logsGateway);
    const r = await fetch(`${logsGateway.url}/v1/logs`, { method: 'POST', body });
    const answer = (await r.json()) as any;
    assert.equal(r.status, 202);
    assert.deepEqual(answer.rejected, [
      { line: 2, error: 'skipped: unknown_code' },
      { line: 3, error: 'line 3: not valid UTF-8' },
    ]);
    assert.deepEqual(diff(before, await metrics(logsGateway)), {
      kibotics_events_received_total: 3,
      kibotics_events_accepted_total: 1,
      'kibotics_events_rejected_total{reason="line"}': 1,
      'kibotics_events_rejected_total{reason="utf8"}': 1,
    });
  });
});
