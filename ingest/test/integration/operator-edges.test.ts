import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SETTINGS, flagOf } from '../../src/config.js';
import { runCli } from '@kibotics/test-kit/cli';

/**
 * The operator's edges, on the real CLI process: each mistake gets a message naming the setting or
 * the cause and exit status 2 (never a stack trace), and help is there for every command.
 */

const INGEST = join(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'kibotics-edges-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
// Commands that must refuse to start are killed after this: a code of null means it started.
const START = { timeoutMs: 15_000 };
const noStack = (stderr: string) =>
  assert.doesNotMatch(stderr, /\n\s+at |Error:/, `no stack trace or raw error class in: ${stderr}`);

async function refused(args: string[], env: Record<string, string>, message: RegExp, options = {}) {
  const r = await runCli(args, { DATA_DIR: join(tmp, 'state'), PORT: '0', ...env }, undefined, {
    ...START,
    ...options,
  });
  assert.equal(r.code, 2, `exit status 2, got ${r.code}: ${r.stderr}`);
  assert.match(r.stderr, message);
  noStack(r.stderr);
}

describe('help and version', () => {
  const COMMANDS = ['serve', 'import', 'demo', 'forget', 'export', 'dead-letters'];
  for (const command of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      test(`${command} ${flag} shows its usage and every setting with its default and meaning`, async () => {
        const r = await runCli([command, flag], {}, undefined, START);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^Usage: kibotics-analytics ${command}`));
        for (const s of Object.values(SETTINGS)) {
          const entry = new RegExp(
            `  ${flagOf(s.env)}, ${s.env}${s.shown ? ` \\(default: ${s.shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)` : ''}\\n      \\S`
          );
          assert.match(r.stdout, entry, `${s.env} with its default and meaning`);
        }
      });
    }
  }
  test('--version prints the package version', async () => {
    const r = await runCli(['--version'], {});
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      `kibotics-analytics ${JSON.parse(readFileSync(join(INGEST, 'package.json'), 'utf8')).version}\n`
    );
  });
});

describe('settings are checked before anything starts', () => {
  for (const [env, value] of [
    ['PORT', '1e3'],
    ['MAX_BODY_BYTES', '0x100000'],
    ['BATCH_SIZE', '0b101'],
    ['RATE_LIMIT_RPS', '10.0'],
    ['PORT', '-1'],
  ]) {
    test(`${env}=${value} is not a whole decimal number`, () =>
      refused(
        ['serve'],
        { [env]: value },
        new RegExp(`^kibotics-analytics: ${env} \\(${flagOf(env)}\\) must be a whole decimal number`)
      ));
  }
  for (const tokens of [',', ' , ,']) {
    test(`INGEST_TOKENS='${tokens}' holds no token: the gateway refuses to start rather than run without authentication`, async () => {
      await refused(
        ['serve'],
        { INGEST_TOKENS: tokens },
        /^kibotics-analytics: INGEST_TOKENS \(--ingest-tokens\) holds no token/
      );
    });
  }
  test('a missing GEOIP_DB', () =>
    refused(
      ['serve'],
      { GEOIP_DB: join(tmp, 'nope.mmdb') },
      /^kibotics-analytics: GEOIP_DB \(--geoip-db\) '.*nope\.mmdb': no such file/
    ));
  test('a GEOIP_DB that is not an MMDB file', () => {
    writeFileSync(join(tmp, 'countries.csv'), 'network,country\n10.0.0.0/8,ES\n');
    return refused(
      ['serve'],
      { GEOIP_DB: join(tmp, 'countries.csv') },
      /^kibotics-analytics: GEOIP_DB \(--geoip-db\) '.*countries\.csv': not an MMDB country database/
    );
  });
});

describe('DATA_DIR', () => {
  test('one default location, whatever the working directory', async () => {
    const shown = async (cwd: string) => {
      const r = await runCli(['serve', '--help'], { DATA_DIR: '' }, undefined, { cwd });
      return /--data-dir, DATA_DIR \(default: ([^)]+)\)/.exec(r.stdout)?.[1];
    };
    const expected = join(INGEST, 'data');
    assert.equal(await shown(INGEST), expected);
    assert.equal(await shown(join(INGEST, '..')), expected);
    assert.equal(await shown(tmp), expected);
  });

  test('under a regular file', async () => {
    writeFileSync(join(tmp, 'a-file'), '');
    await refused(
      ['serve'],
      { DATA_DIR: join(tmp, 'a-file', 'state') },
      /^kibotics-analytics: DATA_DIR \(--data-dir\) '.*a-file\/state': a part of that path is a file, not a folder/
    );
    await refused(
      ['dead-letters', 'list', '--allow-new-state'],
      { DATA_DIR: join(tmp, 'a-file', 'state') },
      /^kibotics-analytics: DATA_DIR \(--data-dir\)/
    );
  });

  test('read-only', async () => {
    const dir = join(tmp, 'read-only');
    mkdirSync(dir);
    // root writes through permissions: give it a read-only file system instead (running the CLI as
    // another user would need the repository to be readable by that user, which a clone under a
    // private folder is not).
    const root = process.getuid?.() === 0;
    if (root) {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir]);
    } else {
      chmodSync(dir, 0o555);
    }
    try {
      await refused(
        ['serve'],
        { DATA_DIR: dir, HOME: tmp },
        /^kibotics-analytics: DATA_DIR \(--data-dir\) '.*read-only': .*; point DATA_DIR at a folder the gateway can write/
      );
    } finally {
      if (root) execFileSync('umount', ['-l', dir]);
    }
  });

  for (const args of [
    ['forget', '--user', 'ana'],
    ['export', '--user', 'ana'],
    ['dead-letters', 'list'],
  ]) {
    test(`${args[0]} refuses a DATA_DIR with no gateway state, unless told to go on`, async () => {
      const dir = join(tmp, `empty-${args[0]}`);
      await refused(
        args,
        { DATA_DIR: dir, INFLUX_URL: 'http://127.0.0.1:9' },
        /^kibotics-analytics: DATA_DIR \(--data-dir\) '.*' holds no gateway state \(no gateway\.sqlite\): .*--allow-new-state/
      );
      assert.throws(() => readFileSync(join(dir, 'gateway.sqlite')), 'nothing was created there');
    });
  }
  test('--allow-new-state goes on', async () => {
    const r = await runCli(['dead-letters', 'list', '--allow-new-state'], { DATA_DIR: join(tmp, 'new-state') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '0 dead letter(s)\n');
  });
});

describe('command options', () => {
  test('demo and import numbers are whole decimal numbers too', async () => {
    await refused(
      ['demo', '--days', '1e3'],
      {},
      /^kibotics-analytics: --days must be a whole decimal number of at least 0, got '1e3'/
    );
    await refused(
      ['demo', '--users', '0x10'],
      {},
      /^kibotics-analytics: --users must be a whole decimal number of at least 1, got '0x10'/
    );
    await refused(
      ['import', '--wait', '1.5', tmp],
      {},
      /^kibotics-analytics: --wait must be a whole decimal number of at least 0, got '1.5'/
    );
  });
  for (const limit of ['abc', '1e3', '0', '-5']) {
    test(`dead-letters list --limit ${limit}`, () =>
      refused(
        ['dead-letters', 'list', `--limit=${limit}`, '--allow-new-state'],
        {},
        new RegExp(`^kibotics-analytics: --limit must be a whole decimal number of at least 1, got '${limit}'`)
      ));
  }
});
