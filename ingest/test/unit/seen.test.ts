import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { identify, type Identity } from '../../src/events/identity.js';
import type { KiboticsEvent } from '../../src/events/types.js';
import { SeenEvents } from '../../src/pipeline/seen.js';
import { openDatabase, type Db } from '../../src/store/database.js';

const T = 1_600_000_000_000;
const NOW = T + 60_000;
const event = (time: number, user = 'ana'): KiboticsEvent => ({ type: 'session_start', time, user }) as KiboticsEvent;
/** An identity whose search starts where another's does: what a hash collision looks like. */
const at = (name: string, start: number, byId = false): Identity => ({
  key: Buffer.from(name.padEnd(8, '.')),
  byId,
  start,
});

let dir: string;
let db: Db;
let seen: SeenEvents;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seen-'));
  db = openDatabase(dir);
  seen = new SeenEvents(db, 3_600_000);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('slots', () => {
  test('an event is accepted once; the same content at another time is another event', () => {
    const e = event(T);
    assert.equal(typeof seen.accept(identify(e), e.time, NOW), 'number');
    assert.equal(seen.accept(identify(e), e.time, NOW), undefined, 'a repeat');
    const later = event(T + 60_000);
    assert.equal(typeof seen.accept(identify(later), later.time, NOW), 'number');
  });

  test('distinct events whose offsets would collide get distinct offsets, and repeats find theirs', () => {
    assert.equal(seen.accept(at('a', 999_999), T, NOW), 999_999);
    assert.equal(seen.accept(at('b', 999_999), T, NOW), 0, 'the next free offset, wrapping round the millisecond');
    assert.equal(seen.accept(at('c', 0), T, NOW), 1, 'a walk passes slots taken by other starts');
    assert.equal(seen.accept(at('b', 999_999), T, NOW), undefined);
    assert.equal(seen.accept(at('c', 0), T, NOW), undefined);
    assert.equal(seen.accept(at('a', 999_999), T + 1, NOW), 999_999, 'another millisecond, other slots');
  });

  test('slots survive closing and reopening the store', () => {
    seen.accept(at('a', 7), T, NOW);
    db.close();
    db = openDatabase(dir);
    seen = new SeenEvents(db, 3_600_000);
    assert.equal(seen.accept(at('a', 7), T, NOW), undefined);
    assert.equal(seen.accept(at('b', 7), T, NOW), 8);
  });

  test('an event without id or time of its own repeats nothing: each one gets its own slot', () => {
    const stamped = { ...event(T), stamped: true } as KiboticsEvent;
    const identity = identify(stamped);
    assert.equal(identity.key.length, 0);
    const offsets = new Set([1, 2, 3].map(() => seen.accept(identity, T, NOW)));
    assert.equal(offsets.size, 3);
    assert.ok(![...offsets].includes(undefined));
  });
});

describe('an id alone', () => {
  const withId = (time: number, extra: Partial<KiboticsEvent> = {}) =>
    identify({ ...event(time), id: 'req-42', ...extra } as KiboticsEvent);

  test('recognises a repeat whatever its time, or its content', () => {
    assert.equal(typeof seen.accept(withId(T), T, NOW), 'number');
    assert.equal(seen.accept(withId(T + 5000, { stamped: true }), T + 5000, NOW + 5000), undefined);
    assert.equal(seen.accept(withId(T + 9000, { user: 'bea' }), T + 9000, NOW + 9000), undefined);
  });

  test('for at least its memory; after it, the same time still repeats, another time is a new event', () => {
    seen.accept(withId(T), T, NOW);
    const hour = 3_600_000;
    // Generations are an hour here: at least an hour later, still known.
    assert.equal(seen.accept(withId(T + 1), T + 1, NOW + hour), undefined);
    seen.forgetOldIds(NOW + 2 * hour);
    assert.equal(seen.accept(withId(T), T, NOW + 2 * hour), undefined, 'the slot is kept for good');
    assert.equal(typeof seen.accept(withId(T + 2), T + 2, NOW + 2 * hour), 'number');
  });

  test('old generations are deleted a bounded number at a time', () => {
    for (let i = 0; i < 2500; i++) seen.accept(identify({ ...event(T + i), id: `k${i}` } as KiboticsEvent), T + i, NOW);
    const count = () => (db.prepare('SELECT count(*) AS n FROM seen_id').get() as { n: number }).n;
    assert.equal(count(), 2500);
    seen.forgetOldIds(NOW + 3_600_000);
    assert.equal(count(), 2500, 'the previous generation is still read');
    seen.forgetOldIds(NOW + 2 * 3_600_000);
    assert.equal(count(), 1500);
    seen.forgetOldIds(NOW + 2 * 3_600_000);
    seen.forgetOldIds(NOW + 2 * 3_600_000);
    assert.equal(count(), 0);
  });
});

describe('upgrades', () => {
  test('dedup keys stored before keys were ordered by time still catch repeats', () => {
    const old = mkdtempSync(join(tmpdir(), 'seen-'));
    try {
      // The store as schema version 4 left it: keys first, no time order.
      const v4 = new Database(join(old, 'gateway.sqlite'));
      v4.exec('CREATE TABLE seen (id BLOB PRIMARY KEY, time INTEGER NOT NULL) WITHOUT ROWID');
      v4.exec(
        'CREATE TABLE dead_letter (id INTEGER PRIMARY KEY AUTOINCREMENT, line TEXT NOT NULL, status INTEGER, error TEXT NOT NULL, failed_at INTEGER NOT NULL)'
      );
      // The tables later versions change too.
      v4.exec(
        "CREATE TABLE spool (seq INTEGER PRIMARY KEY AUTOINCREMENT, line TEXT NOT NULL, enqueued_at INTEGER NOT NULL, destination TEXT NOT NULL DEFAULT 'raw')"
      );
      v4.exec(
        'CREATE TABLE open_start (kind TEXT NOT NULL, key TEXT NOT NULL, match TEXT NOT NULL, time INTEGER NOT NULL, carried TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID'
      );
      const e = event(T, 'bea');
      v4.prepare('INSERT INTO seen (id, time) VALUES (?, ?)').run(identify(e).key, e.time);
      v4.pragma('user_version = 4');
      v4.close();
      const upgraded = openDatabase(old);
      try {
        const s = new SeenEvents(upgraded);
        assert.equal(
          s.accept(identify(e), e.time, NOW),
          undefined,
          'the event imported before the upgrade is a repeat'
        );
        assert.equal(typeof s.accept(identify(event(T, 'cai')), T, NOW), 'number');
      } finally {
        upgraded.close();
      }
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });
});
