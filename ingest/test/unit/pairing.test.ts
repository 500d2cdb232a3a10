import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { EnrichedEvent } from '../../src/enrich/enrich.js';
import { Pairer } from '../../src/pairing/pairing.js';
import { ActiveUsers } from '../../src/pipeline/active-users.js';
import { Housekeeping } from '../../src/pipeline/housekeeping.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { FakeClock } from '../harness/clock.js';

const HOUR = 3_600_000;
const client = { os: 'Windows', browser: 'Chrome', device: 'desktop', bot: false, country: 'ES' };
const ev = (e: Partial<EnrichedEvent> & Pick<EnrichedEvent, 'type' | 'time'>): EnrichedEvent =>
  ({ ...client, ...e }) as EnrichedEvent;
const sim = { simulation_type: 'simulator', exercise: 'follow_line' };

let dir: string;
let db: Db;
let pairer: Pairer;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pairing-'));
  db = openDatabase(dir);
  // Every start reaches this pairer at time 0 of its clock (see 'pruning' below for arrival times).
  pairer = new Pairer(db, 12 * HOUR, () => 0);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sessions', () => {
  test('an end pairs with the latest open start of the same user', () => {
    pairer.apply(ev({ type: 'session_start', time: 1000, user: 'ana' }));
    pairer.apply(ev({ type: 'session_start', time: 2000, user: 'bea' }));
    assert.deepEqual(pairer.apply(ev({ type: 'session_end', time: 5000, user: 'ana' })), {
      startedAt: 1000,
      group: undefined,
    });
    assert.equal(
      pairer.apply(ev({ type: 'session_end', time: 6000, user: 'ana' })).startedAt,
      undefined,
      'a start pairs once'
    );
  });

  test('two starts in a row: the end pairs with the second', () => {
    pairer.apply(ev({ type: 'session_start', time: 1000, user: 'ana' }));
    pairer.apply(ev({ type: 'session_start', time: 3000, user: 'ana' }));
    assert.equal(pairer.apply(ev({ type: 'session_end', time: 5000, user: 'ana' })).startedAt, 3000);
    assert.equal(pairer.apply(ev({ type: 'session_end', time: 6000, user: 'ana' })).startedAt, undefined);
  });

  test('session ids pair exactly, even with two sessions of one user open', () => {
    pairer.apply(ev({ type: 'session_start', time: 1000, user: 'ana', session_id: 'laptop' }));
    pairer.apply(ev({ type: 'session_start', time: 2000, user: 'ana', session_id: 'tablet' }));
    assert.equal(
      pairer.apply(ev({ type: 'session_end', time: 9000, user: 'ana', session_id: 'laptop' })).startedAt,
      1000
    );
    assert.equal(
      pairer.apply(ev({ type: 'session_end', time: 9500, user: 'ana', session_id: 'tablet' })).startedAt,
      2000
    );
  });

  test('an end without a session id pairs with the latest start that had one', () => {
    pairer.apply(ev({ type: 'session_start', time: 1000, user: 'ana', session_id: 's1' }));
    assert.equal(pairer.apply(ev({ type: 'session_end', time: 2000, user: 'ana' })).startedAt, 1000);
  });

  test('an end with no start has no duration', () => {
    assert.deepEqual(pairer.apply(ev({ type: 'session_end', time: 5000, user: 'ana' })), {});
  });

  test('an end before its start (out of order) does not pair', () => {
    pairer.apply(ev({ type: 'session_start', time: 5000, user: 'ana' }));
    assert.equal(pairer.apply(ev({ type: 'session_end', time: 4000, user: 'ana' })).startedAt, undefined);
  });

  test('a start older than the longest session allowed is not paired', () => {
    pairer.apply(ev({ type: 'session_start', time: 0, user: 'ana' }));
    assert.equal(pairer.apply(ev({ type: 'session_end', time: 13 * HOUR, user: 'ana' })).startedAt, undefined);
  });

  test('the end inherits the group of its start', () => {
    pairer.apply(ev({ type: 'session_start', time: 0, user: 'ana', group: '2B' }));
    assert.equal(pairer.apply(ev({ type: 'session_end', time: 10, user: 'ana' })).group, '2B');
  });

  test('anonymous users are never paired', () => {
    pairer.apply(ev({ type: 'session_start', time: 0 }));
    assert.deepEqual(pairer.apply(ev({ type: 'session_end', time: 10 })), {});
  });

  test('open starts survive closing and reopening the store', () => {
    pairer.apply(ev({ type: 'session_start', time: 1000, user: 'ana' }));
    db.close();
    db = openDatabase(dir);
    // Every start reaches this pairer at time 0 of its clock (see 'pruning' below for arrival times).
    pairer = new Pairer(db, 12 * HOUR, () => 0);
    assert.equal(pairer.apply(ev({ type: 'session_end', time: 2000, user: 'ana' })).startedAt, 1000);
  });
});

describe('an end carrying started_at', () => {
  test('pairs with that time when this store never saw the start (another instance did)', () => {
    assert.deepEqual(pairer.apply(ev({ type: 'session_end', time: 5000, user: 'ana', started_at: 1000 })), {
      startedAt: 1000,
      group: undefined,
    });
    assert.equal(
      pairer.apply(ev({ type: 'simulation_end', time: 9000, user: 'ana', ...sim, started_at: 4000 })).startedAt,
      4000
    );
  });

  test('closes the local start it names, taking its group, so no later end pairs with it again', () => {
    pairer.apply(ev({ type: 'session_start', time: 1000, user: 'ana', group: '2B' }));
    assert.deepEqual(pairer.apply(ev({ type: 'session_end', time: 5000, user: 'ana', started_at: 1000 })), {
      startedAt: 1000,
      group: '2B',
    });
    assert.equal(pairer.apply(ev({ type: 'session_end', time: 6000, user: 'ana' })).startedAt, undefined);
  });

  test('its own time wins over a local start it replaced, which is closed too', () => {
    pairer.apply(ev({ type: 'session_start', time: 1000, user: 'ana', group: '2B' }));
    // The session started at 3000 on another instance: the start at 1000 was replaced by it.
    assert.deepEqual(pairer.apply(ev({ type: 'session_end', time: 5000, user: 'ana', started_at: 3000 })), {
      startedAt: 3000,
      group: undefined,
    });
    assert.equal(pairer.apply(ev({ type: 'session_end', time: 6000, user: 'ana' })).startedAt, undefined);
  });

  test('a later local start belongs to another session and stays open', () => {
    pairer.apply(ev({ type: 'session_start', time: 4000, user: 'ana' }));
    assert.equal(pairer.apply(ev({ type: 'session_end', time: 5000, user: 'ana', started_at: 1000 })).startedAt, 1000);
    assert.equal(pairer.apply(ev({ type: 'session_end', time: 6000, user: 'ana' })).startedAt, 4000);
  });

  test('older than the longest session allowed: no duration, as for a stored start', () => {
    assert.equal(
      pairer.apply(ev({ type: 'session_end', time: 13 * HOUR, user: 'ana', started_at: 0 })).startedAt,
      undefined
    );
  });

  test('anonymous ends are still never paired', () => {
    assert.deepEqual(pairer.apply(ev({ type: 'session_end', time: 5000, started_at: 1000 })), {});
  });
});

describe('simulations', () => {
  test('pair on user, exercise and simulation type', () => {
    pairer.apply(ev({ type: 'simulation_start', time: 1000, user: 'ana', ...sim }));
    pairer.apply(ev({ type: 'simulation_start', time: 2000, user: 'ana', ...sim, exercise: 'vacuum' }));
    pairer.apply(ev({ type: 'simulation_start', time: 3000, user: 'ana', ...sim, simulation_type: 'websim' }));
    assert.equal(pairer.apply(ev({ type: 'simulation_end', time: 9000, user: 'ana', ...sim })).startedAt, 1000);
    assert.equal(
      pairer.apply(ev({ type: 'simulation_end', time: 9000, user: 'ana', ...sim, exercise: 'vacuum' })).startedAt,
      2000
    );
    assert.equal(
      pairer.apply(ev({ type: 'simulation_end', time: 9000, user: 'ana', ...sim, simulation_type: 'websim' }))
        .startedAt,
      3000
    );
  });

  test('a session end does not close a simulation', () => {
    pairer.apply(ev({ type: 'simulation_start', time: 1000, user: 'ana', ...sim }));
    pairer.apply(ev({ type: 'session_end', time: 2000, user: 'ana' }));
    assert.equal(pairer.apply(ev({ type: 'simulation_end', time: 3000, user: 'ana', ...sim })).startedAt, 1000);
  });

  test('forgetting drops only starts too old to pair', () => {
    pairer.apply(ev({ type: 'simulation_start', time: 0, user: 'ana', ...sim }));
    pairer.apply(ev({ type: 'simulation_start', time: 10 * HOUR, user: 'bea', ...sim }));
    assert.equal(pairer.forgetOlderThan(13 * HOUR), 1);
    assert.equal(
      pairer.apply(ev({ type: 'simulation_end', time: 14 * HOUR, user: 'bea', ...sim })).startedAt,
      10 * HOUR
    );
  });
});

describe('pruning in the running gateway', () => {
  test('an open start is pruned once PAIR_MAX_HOURS passed since its time and since it arrived; an end after that has no duration, as with no start', () => {
    const clock = new FakeClock(100 * HOUR);
    const pairer = new Pairer(db, 12 * HOUR, clock.now);
    const pruned: number[] = [];
    const housekeeping = new Housekeeping({ pairer, activeUsers: new ActiveUsers(db) }, clock.now, {
      openStartsPruned: (n) => pruned.push(n),
    });
    clock.every(HOUR, () => housekeeping.run());
    // Live: a start of now. A backlog: a start of two days ago, posted (or imported) now.
    pairer.apply(ev({ type: 'session_start', time: 100 * HOUR, user: 'live' }));
    pairer.apply(ev({ type: 'session_start', time: 52 * HOUR, user: 'backlog' }));
    clock.advance(11 * HOUR);
    assert.deepEqual(pruned, Array(11).fill(0), 'hourly; nothing is old enough yet, the backlog included');
    assert.equal(
      pairer.apply(ev({ type: 'session_end', time: 53 * HOUR, user: 'backlog' })).startedAt,
      52 * HOUR,
      'the backlog still pairs'
    );
    pairer.apply(ev({ type: 'session_start', time: 55 * HOUR, user: 'backlog' }));
    clock.advance(2 * HOUR);
    assert.deepEqual(
      pruned.slice(11),
      [0, 1],
      "the live start goes after 12 h; the backlog's newer start waits 12 h from its arrival"
    );
    assert.equal(
      pairer.apply(ev({ type: 'session_end', time: 101 * HOUR, user: 'live' })).startedAt,
      undefined,
      'an end within PAIR_MAX_HOURS of its start, arriving after the prune: no duration, as with no start'
    );
    clock.advance(11 * HOUR);
    assert.equal(pruned.at(-1), 1, 'the second backlog start, 12 h after it arrived');
    assert.equal(db.prepare('SELECT count(*) FROM open_start').pluck().get(), 0);
  });

  test('an end carrying started_at pairs after its start was pruned', () => {
    const clock = new FakeClock(100 * HOUR);
    const pairer = new Pairer(db, 12 * HOUR, clock.now);
    pairer.apply(ev({ type: 'session_start', time: 100 * HOUR, user: 'ana' }));
    clock.advance(13 * HOUR);
    assert.equal(pairer.forgetOlderThan(clock.now()), 1);
    assert.equal(
      pairer.apply(ev({ type: 'session_end', time: 101 * HOUR, user: 'ana', started_at: 100 * HOUR })).startedAt,
      100 * HOUR
    );
  });
});
