import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { line } from '../../src/points/line-protocol.js';
import { Spool } from '../../src/spool/spool.js';
import { openDatabase } from '../../src/store/database.js';

function withSpool(run: (spool: Spool) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'spool-'));
  const db = openDatabase(dir);
  try {
    run(new Spool(db));
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `visit count=1i ${i}`);
const rollups = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    rollup: 'errors' as const,
    tags: { status: '500' },
    bucket: i * 900_000,
    add: { errors: 1 },
  }));

test('roll-ups get half of a batch however many raw lines wait; either side fills what the other leaves', () => {
  withSpool((spool) => {
    spool.append(lines(100), 0);
    spool.addRollups(rollups(100), 0);
    let batch = spool.claim(10);
    assert.deepEqual([batch.lines.length, batch.rollups.length], [5, 5]);
    spool.delivered(batch);
    assert.equal(spool.lines, 95);

    batch = spool.claim(400);
    assert.deepEqual([batch.lines.length, batch.rollups.length], [95, 95]);
    spool.delivered(batch);
    assert.deepEqual([spool.lines, spool.stats().rollups], [0, 0]);
  });
  withSpool((spool) => {
    spool.append(lines(3), 0);
    spool.addRollups(rollups(20), 0);
    const batch = spool.claim(10);
    assert.deepEqual([batch.lines.length, batch.rollups.length], [3, 7], 'roll-ups take the room raw lines leave');
    assert.equal(new Set(batch.rollups.map((r) => r.bucket)).size, 7, 'no bucket claimed twice');
  });
});

test('a bucket changed after it was claimed stays dirty after that claim is delivered', () => {
  withSpool((spool) => {
    spool.addRollups(rollups(1), 0);
    const batch = spool.claim(10);
    spool.addRollups(rollups(1), 1);
    spool.delivered(batch);
    const again = spool.claim(10);
    assert.equal(again.rollups.length, 1);
    assert.match(again.rollups[0]!.line, /errors=2i/);
  });
});

test("forgetting a user erases their waiting lines, where the user is a tag and where it is an active-user measurement's field, and only theirs", () => {
  withSpool((spool) => {
    const name = 'O\'Brien, "Bob" \\';
    const waiting = [
      line('session_start', { user: name, bot: 'false' }, { ints: { count: 1 } }, '1'),
      line('active_days', {}, { strings: { user: name, group: '3A' } }, '2'), // after the group field
      line('active_days', {}, { strings: { user: name } }, '2'), // the first field
      line('active_days', { run: 'start' }, { strings: { user: name } }, '2'), // after a tag
      line('group_active_days', { group: '3A' }, { strings: { user: name } }, '2'),
      line('session_start', { user: 'keeper', bot: 'false' }, { ints: { count: 1 } }, '3'),
      line('active_days', {}, { strings: { user: 'keeper', group: '3A' } }, '4'),
      // Another user whose name merely contains this one.
      line('active_days', {}, { strings: { user: `x${name}` } }, '5'),
      line('group_active_days', { group: '3A' }, { strings: { user: 'keeper' } }, '6'),
      // A raw measurement whose field merely has the name: not an active-user line.
      line('visit', { bot: 'false' }, { strings: { user: name } }, '7'),
    ];
    // Each with the user the pipeline keeps beside it (the last one carries none: no user tag).
    const owners = [name, name, name, name, name, 'keeper', 'keeper', `x${name}`, 'keeper', undefined];
    waiting.forEach((l, i) => spool.append([l], 0, 'raw', owners[i]));
    assert.deepEqual(spool.forgetUser(name), { lines: 5, deadLetters: 0 });
    assert.deepEqual(
      spool.claim(10).lines.map((l) => l.line),
      waiting.slice(5)
    );
  });
});

test('roll-up points carry the writer id kept in DATA_DIR, the same after a restart, another in another DATA_DIR', () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'spool-')), mkdtempSync(join(tmpdir(), 'spool-'))];
  const writerOf = (dir: string) => {
    const db = openDatabase(dir);
    try {
      const spool = new Spool(db);
      spool.addRollups(rollups(1), 0);
      return /^errors_15m,status=500,writer=([0-9a-f]{12}) errors=\d+i 0+$/.exec(spool.claim(1).rollups[0]!.line)?.[1];
    } finally {
      db.close();
    }
  };
  try {
    const first = writerOf(dirs[0]!);
    assert.ok(first);
    assert.equal(writerOf(dirs[0]!), first);
    const other = writerOf(dirs[1]!);
    assert.ok(other && other !== first);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

test('a store from before writer ids goes on writing its roll-ups without the tag, in the series that hold its totals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spool-'));
  try {
    const old = openDatabase(dir);
    // What an upgrade finds: the store's tables without a writer row (openDatabase adds one).
    old.exec('DELETE FROM writer');
    old.close();
    const db = openDatabase(dir);
    try {
      const spool = new Spool(db);
      spool.addRollups(rollups(1), 0);
      assert.equal(spool.claim(1).rollups[0]!.line, 'errors_15m,status=500 errors=1i 0000000');
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
