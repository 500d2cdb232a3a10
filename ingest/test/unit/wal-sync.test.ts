import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { WalSync } from '../../src/store/wal-sync.js';

test('WalSync flushes the WAL file; callers meanwhile share the next flush; failures reach every caller', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-sync-'));
  const db = openDatabase(dir);
  try {
    db.exec('CREATE TABLE t (v INTEGER)');
    const sync = new WalSync(db);
    db.prepare('INSERT INTO t VALUES (1)').run();
    await sync.sync();
    // Many callers while a flush runs: all answered, by at most two flushes (the running one and one more).
    const many = Array.from({ length: 50 }, () => sync.sync());
    assert.equal(new Set(many.slice(1)).size, 1, 'every caller after the first waits for the same next flush');
    await Promise.all(many);

    // A WAL path that cannot be flushed (here a directory): the callers are told, none is answered "on disk".
    const broken = new WalSync({ name: join(dir, 'nowhere') } as typeof db);
    mkdirSync(join(dir, 'nowhere-wal'));
    await assert.rejects(broken.sync(), /EISDIR/);
    // No WAL file at all: SQLite checkpointed everything into the database file, which it synced.
    await new WalSync({ name: join(dir, 'absent') } as typeof db).sync();
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
