import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { validateEvent } from '../../src/events/validate.js';
import { openCore } from '../../src/gateway.js';
import { createLogger } from '../../src/log.js';
import { forgetUser } from '../../src/privacy/forget.js';
import { line, readLine, storableTag } from '../../src/points/line-protocol.js';
import { DeadLetters } from '../../src/spool/dead-letters.js';
import { Spool } from '../../src/spool/spool.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { USERS, linesOf, nobodysLines } from '../fixtures/store-before-user-column/lines.js';

/**
 * Erasure deletes a user's spooled lines and dead letters by the user kept beside each, never by
 * searching the line: after each user is forgotten in turn, none of theirs is left and every other
 * line is, whether the lines were stored with their user or before the column existed.
 */

const FIXTURE = join(import.meta.dirname, '../fixtures/store-before-user-column');

function withDir(run: (dir: string) => void | Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'erasure-'));
  return Promise.resolve(run(dir)).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function validated(user: string, now: number) {
  const v = validateEvent({ type: 'visit', time: now, user }, now);
  assert.ok(v.ok);
  return v.event;
}

/** Every line waiting or dead, sorted (the spool and the dead letters together). */
function stored(db: Db): string[] {
  const rows = db.prepare('SELECT line FROM spool UNION ALL SELECT line FROM dead_letter').pluck().all() as string[];
  return rows.sort();
}

/** Forgets each user in turn; after each, exactly the lines of those not yet forgotten (and nobody's) remain. */
function forgetEachInTurn(db: Db, spool: Spool, expected: (kept: readonly string[]) => string[]) {
  const kept = [...USERS] as string[];
  assert.deepEqual(stored(db), expected(kept), 'every line before any erasure');
  // Longer names first, then the names they contain: each erasure must leave the others alone.
  for (const user of [...USERS].reverse()) {
    const before = stored(db).length;
    const erased = spool.forgetUser(user);
    kept.splice(kept.indexOf(user), 1);
    assert.deepEqual(stored(db), expected(kept), `after forgetting ${JSON.stringify(user)}`);
    assert.equal(erased.lines + erased.deadLetters, before - stored(db).length, 'the counts say what went');
    assert.equal(erased.lines + erased.deadLetters, 5, `${JSON.stringify(user)}'s five lines`);
  }
}

test('lines stored with their user: forgetting one erases exactly theirs, names holding others or escapes included', () =>
  withDir((dir) => {
    const db = openDatabase(dir);
    try {
      const spool = new Spool(db);
      USERS.forEach((user, i) => spool.append(linesOf(user, i * 100), 0, 'raw', user));
      spool.append(nobodysLines(10_000), 0);
      // One line of each user is refused by InfluxDB: its dead letter keeps the user.
      for (const { seq, line } of spool.claim(1000).lines.filter((l) => /^visit,bot=false,user=/.test(l.line)))
        spool.deadLetter(line, 'raw', seq, 400, 'refused', 0);
      forgetEachInTurn(db, spool, (kept) =>
        [
          ...kept.flatMap((u) => linesOf(u, USERS.indexOf(u as (typeof USERS)[number]) * 100)),
          ...nobodysLines(10_000),
        ].sort()
      );
    } finally {
      db.close();
    }
  }));

test('a dead letter replayed into the spool keeps its user: erasure still finds it there', () =>
  withDir((dir) => {
    const db = openDatabase(dir);
    try {
      const spool = new Spool(db);
      spool.append(linesOf('ana', 0), 0, 'raw', 'ana');
      spool.append(linesOf('ana.garcia', 100), 0, 'raw', 'ana.garcia');
      for (const { seq, line } of spool.claim(1000).lines) spool.deadLetter(line, 'raw', seq, 400, 'refused', 0);
      assert.equal(new DeadLetters(db).replay(), 10);
      assert.deepEqual(spool.forgetUser('ana'), { lines: 5, deadLetters: 0 });
      assert.deepEqual(stored(db), linesOf('ana.garcia', 100).sort());
    } finally {
      db.close();
    }
  }));

test('a store from before the user column (made by that version): after the upgrade, erasure finds the lines it stored', () =>
  withDir((dir) => {
    cpSync(FIXTURE, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
    const db = openDatabase(dir);
    try {
      assert.equal(
        db.prepare("SELECT count(*) FROM dead_letter WHERE line LIKE 'visit,%'").pluck().get(),
        USERS.length
      );
      forgetEachInTurn(db, new Spool(db), (kept) =>
        [
          ...kept.flatMap((u) => linesOf(u, USERS.indexOf(u as (typeof USERS)[number]) * 100)),
          ...nobodysLines(10_000),
        ].sort()
      );
    } finally {
      db.close();
    }
  }));

test('through the pipeline: after forget, none of the gateway state names the user, and every other user is intact', () =>
  withDir(async (dir) => {
    const config = loadConfig({ DATA_DIR: dir, INFLUX_URL: 'http://127.0.0.1:9', INFLUX_DB: 'x', RETENTION_DAYS: '0' });
    const core = openCore(config, createLogger('silent', process.stderr));
    try {
      const t = Date.UTC(2020, 0, 20, 10);
      const events = USERS.flatMap((user, i) => [
        { type: 'session_start', time: t + i, user, group: '3A', session_id: `s${i}` },
        { type: 'simulation_start', time: t + i, user, simulation_type: 'websim', exercise: user },
        { type: 'visit', time: t + i, user, path: `/${user}` },
        { type: 'error', time: t + i, user, status: 500, message: `user=${user}` },
      ]);
      const outcome = await core.accept.accept(events.map((raw, at) => ({ at, raw })));
      assert.deepEqual([outcome.accepted, outcome.rejected], [events.length, []]);
      // Who each line names, read back from the line itself (tag or field `user`).
      const owners = () =>
        stored(core.db).map((l) => {
          const r = readLine(l);
          const user = r.tags.user ?? (r.measurement.endsWith('active_days') ? r.strings.user : undefined);
          return user === undefined ? undefined : storableTag(user);
        });
      const count = (user: string) => owners().filter((o) => o === storableTag(user)).length;
      const counts = Object.fromEntries(USERS.map((u) => [validated(u, t).user!, count(validated(u, t).user!)]));
      const errors = () => stored(core.db).filter((l) => l.startsWith('error,')).length;
      assert.equal(errors(), USERS.length);
      for (const sent of [...USERS].reverse()) {
        // As the gateway stores it (the validator trims names), the value forget is given.
        const user = validated(sent, t).user!;
        const report = await forgetUser(core, sent, user);
        assert.ok(report.pending, 'InfluxDB is not there: its erasure waits');
        assert.equal(report.gateway.spool_lines, counts[user], `${JSON.stringify(user)}: every line of theirs`);
        assert.equal(count(user), 0);
        assert.equal(report.gateway.open_starts, 2, `${JSON.stringify(user)}: their session and simulation starts`);
        delete counts[user];
        for (const [other, n] of Object.entries(counts))
          assert.equal(count(other), n, `${JSON.stringify(other)} intact`);
        const left = (sql: string) => core.db.prepare(sql).pluck().all() as string[];
        assert.ok(!left('SELECT user FROM active_mark UNION ALL SELECT user FROM active_last').includes(user));
        assert.ok(!left('SELECT match FROM open_start').some((m) => m.split('\u0000')[0] === user));
        assert.equal(errors(), USERS.length, "errors' points carry no user: they stay");
        const rollupTags = left('SELECT tags FROM rollup').map((t) => JSON.parse(t) as Record<string, string>);
        assert.ok(rollupTags.length > 0 && rollupTags.every((t) => !('user' in t)), 'roll-ups hold no user at all');
      }
    } finally {
      await core.close();
    }
  }));

test('readLine gives back the tags and string fields line() wrote, whatever characters they hold', () => {
  const alphabet = ['a', '\\', ',', '=', ' ', '"', '\uff3c', 'é', 'b'];
  let seed = 7;
  const pick = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const text = () => Array.from({ length: 1 + pick(8) }, () => alphabet[pick(alphabet.length)]).join('');
  for (let k = 0; k < 5000; k++) {
    const [user, group, path] = [text(), text(), text()];
    const written = line(
      'session_start',
      { user, group, bot: 'false' },
      { ints: { count: 1 }, floats: { d: 1.5 }, strings: { user, path } },
      '123'
    );
    assert.deepEqual(
      readLine(written),
      {
        measurement: 'session_start',
        tags: { user: storableTag(user), group: storableTag(group), bot: 'false' },
        strings: { user, path },
      },
      written
    );
  }
});
