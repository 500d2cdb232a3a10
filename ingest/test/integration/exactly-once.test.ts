import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Influxd } from '@kibotics/test-kit/influxd';
import { TestGateway } from '../harness/gateway.js';

/** Issue 12 item 1, issue 13 items 2 and 3: every accepted event is one point, a repeat none, and the counts say so. */
const DB = 'kibotics_exactly_once_test';
let influx: Influxd;
let gateway: TestGateway;
const rows = (q: string) => influx.rows(q, DB);

before(async () => {
  influx = await Influxd.start();
  gateway = await TestGateway.start({
    INFLUX_URL: influx.url,
    INFLUX_DB: DB,
    STATS_INTERVAL_S: '0',
    RETENTION_DAYS: '0',
  });
});
after(async () => {
  await gateway?.stop();
  await influx?.stop();
});

async function acceptedTotal(): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return Number(/^kibotics_events_accepted_total (\d+)/m.exec(text)?.[1]);
}

const T = Date.UTC(2020, 0, 14, 9, 0, 0, 123);

describe('distinct events in one millisecond', () => {
  test("two visits of one series in the same millisecond are two points (the issue's reproduction)", async () => {
    const r = await gateway.post([
      { type: 'visit', id: 'A2-29595', time: T, user: 'coll', path: '/first' },
      { type: 'visit', id: 'A2-29596', time: T, user: 'coll', path: '/second' },
    ]);
    assert.deepEqual([r.body.accepted, r.body.duplicates], [2, 0]);
    await gateway.drained();
    const points = await rows(`SELECT "path" FROM "visit" WHERE "user" = 'coll'`);
    assert.deepEqual(points.map((p) => p.path).sort(), ['/first', '/second']);
  });

  test('5,000 distinct events of one series in one millisecond are 5,000 points, their roll-up 5,000', async () => {
    // Enough that a hash of each (1 in 1,000,000 per pair) would almost surely have put two on one point.
    const events = Array.from({ length: 5000 }, (_, i) => ({
      type: 'error',
      time: T + 1,
      status: 502,
      message: `m${i}`,
    }));
    for (let i = 0; i < events.length; i += 1000) {
      const r = await gateway.post(events.slice(i, i + 1000));
      assert.equal(r.body.accepted, 1000);
    }
    await gateway.drained();
    const [raw] = await rows(`SELECT count("count") AS n FROM "error" WHERE "status" = '502'`);
    assert.equal(raw?.n, 5000);
    const [rollup] = await rows(`SELECT sum("errors") AS n FROM "rollups"."errors_15m" WHERE "status" = '502'`);
    assert.equal(rollup?.n, 5000);
  });
});

describe('retries', () => {
  test('an id alone makes a retry idempotent, without a time of its own', async () => {
    const event = { type: 'session_start', user: 'u-idem', id: 'req-42' };
    const before = await acceptedTotal();
    const first = await gateway.post(event);
    await new Promise((r) => setTimeout(r, 20)); // the retry comes in another millisecond
    const retry = await gateway.post(event);
    assert.deepEqual([first.body.accepted, first.body.duplicates], [1, 0]);
    assert.deepEqual([retry.body.accepted, retry.body.duplicates], [0, 1]);
    assert.equal(await acceptedTotal(), before + 1, 'kibotics_events_accepted_total counts new events only');
    await gateway.drained();
    const [raw] = await rows(`SELECT count("count") AS n FROM "session_start" WHERE "user" = 'u-idem'`);
    assert.equal(raw?.n, 1);
  });

  test('identical events without id at one time are one event: the rest are repeats', async () => {
    const event = { type: 'visit', time: T + 2, user: 'u-same', path: '/same' };
    const r = await gateway.post(Array.from({ length: 50 }, () => event));
    assert.deepEqual([r.body.accepted, r.body.duplicates], [1, 49]);
    await gateway.drained();
    const [raw] = await rows(`SELECT count("count") AS n FROM "visit" WHERE "user" = 'u-same'`);
    assert.equal(raw?.n, 1);
  });

  test('identical events with neither id nor time are each a new event, however close together', async () => {
    const event = { type: 'visit', user: 'u-stamped', path: '/stamped' };
    const answers = await Promise.all(Array.from({ length: 200 }, () => gateway.post(event)));
    assert.equal(
      answers.reduce((n, a) => n + a.body.accepted, 0),
      200
    );
    await gateway.drained();
    const [raw] = await rows(`SELECT count("count") AS n FROM "visit" WHERE "user" = 'u-stamped'`);
    assert.equal(raw?.n, 200);
    const [rollup] = await rows(`SELECT sum("visits") AS n FROM "rollups"."visits_15m" WHERE time >= now() - 1h`);
    assert.equal(rollup?.n, 200);
  });
});
