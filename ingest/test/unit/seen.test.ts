import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { identify } from '../../src/events/identity.js';
import type { KiboticsEvent } from '../../src/events/types.js';
import { SeenEvents } from '../../src/pipeline/seen.js';
import { openDatabase } from '../../src/store/database.js';

const event = (time: number, user = 'ana'): KiboticsEvent => ({ type: 'session_start', time, user }) as KiboticsEvent;

test('an event is seen once; the same content at another time is another event', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seen-'));
  const db = openDatabase(dir);
  try {
    const seen = new SeenEvents(db);
    const e = event(1_600_000_000_000);
    assert.equal(seen.firstTime(identify(e), e.time), true);
    assert.equal(seen.firstTime(identify(e), e.time), false, 'a repeat');
    const later = event(1_600_000_060_000);
    assert.equal(seen.firstTime(identify(later), later.time), true);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dedup keys stored before keys were ordered by time still catch repeats after the upgrade', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seen-'));
  try {
    // The store as the previous schema version left it: keys first, no time order.
    const old = new Database(join(dir, 'gateway.sqlite'));
    old.exec('CREATE TABLE seen (id BLOB PRIMARY KEY, time INTEGER NOT NULL) WITHOUT ROWID');
    const e = event(1_600_000_000_000, 'bea');
    old.prepare('INSERT INTO seen (id, time) VALUES (?, ?)').run(identify(e).key, e.time);
    old.pragma('user_version = 4');
    old.close();

    const db = openDatabase(dir);
    try {
      assert.equal(new SeenEvents(db).firstTime(identify(e), e.time), false, 'the event imported before the upgrade is a repeat');
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
