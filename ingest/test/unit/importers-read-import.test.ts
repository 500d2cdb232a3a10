import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { validateEvent } from '../../src/events/validate.js';
import {
  ImportSummary,
  listImportFiles,
  parseLines,
  readImport,
  sniffFormat,
  type ImportRecord,
} from '../../src/importers/index.js';

const TREE = fileURLToPath(new URL('../fixtures/importers/tree', import.meta.url));
const rel = (f: string) => f.slice(TREE.length + 1);

async function collect(paths: string[], opts = {}): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const r of readImport(paths, opts)) out.push(r);
  return out;
}

const brief = (r: ImportRecord) =>
  'skip' in r ? `${rel(r.file)}:${r.line} skip ${r.skip}` : `${rel(r.file)}:${r.line} ${r.event.type}`;

describe('sniffFormat', () => {
  it('recognises each format from its first line, the JSON ones by name or keys', () => {
    assert.equal(sniffFormat('x.txt', '1 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.1 | UA'), 'kibotics-log');
    assert.equal(sniffFormat('x.txt', '5 | 500 Internal Server Error'), 'kibotics-log');
    assert.equal(sniffFormat('x.txt', 'Error ==> 500 Internal Server Error'), 'django-access-log');
    assert.equal(sniffFormat('x.txt', 'New Simulation ==> 23/05/2019 18:27:53: a b c d e f'), 'django-access-log');
    assert.equal(sniffFormat('newSession.json', '{"date":"15/10/2019 10:00:00"}'), 'mongoexport');
    assert.equal(sniffFormat('kibotics_visit_log.json', '{"date":"2020-01-01T00:00:00"}'), 'elasticsearch');
    assert.equal(sniffFormat('dump.json', '{"_index":"kibotics_error_log","_source":{}}'), 'elasticsearch');
    assert.equal(sniffFormat('dump.json', '{"username":"u","start_date":"2020-01-01T00:00:00"}'), 'elasticsearch');
    assert.equal(sniffFormat('dump.json', '{"_id":{"$oid":"5d5e"},"date":"15/10/2019 10:00:00"}'), 'mongoexport');
    assert.equal(sniffFormat('dump.json', '{"x":1}'), undefined);
    assert.equal(sniffFormat('notes.txt', 'hello'), undefined);
  });
  it('falls back to the name for a file with no non-empty line', () => {
    assert.equal(sniffFormat('logs/2020-01-01-log.txt', undefined), 'kibotics-log');
    assert.equal(sniffFormat('access_log_django.txt', undefined), 'django-access-log');
    assert.equal(sniffFormat('empty.txt', undefined), undefined);
  });
});

describe('listImportFiles', () => {
  it('walks folders, skips dot-files and non-import files, orders by the date in the name', async () => {
    const files = await listImportFiles([TREE]);
    assert.deepEqual(files.map(rel), [
      'access_log_django.txt',
      'nested/deeper/kibotics_session_log.ndjson',
      'notes.txt',
      'temporal/2019-10-26-log.txt',
      'temporal/2019-10-27-log.txt',
      'final/2020-01-01-log.txt',
    ]);
  });
  it('days come in order across folders whichever order they are given in', async () => {
    const files = await listImportFiles([`${TREE}/final`, `${TREE}/temporal`, `${TREE}/temporal/2019-10-26-log.txt`]);
    assert.deepEqual(files.map(rel), [
      'temporal/2019-10-26-log.txt',
      'temporal/2019-10-27-log.txt',
      'final/2020-01-01-log.txt',
    ]);
  });
  it('a path that does not exist fails instead of importing nothing', async () => {
    await assert.rejects(listImportFiles([`${TREE}/nope`]), { code: 'ENOENT' });
  });
});

describe('readImport', () => {
  it('yields one record per line (two for an Elasticsearch session), with stable skip reasons', async () => {
    const records = await collect([TREE]);
    assert.deepEqual(records.map(brief), [
      // Undated files are read side by side, merged in time order; lines without a time go out at once.
      'access_log_django.txt:1 skip no_time',
      'notes.txt:1 skip unknown_format',
      'notes.txt:2 skip blank',
      'notes.txt:3 skip unknown_format',
      'access_log_django.txt:2 simulation_start',
      'access_log_django.txt:3 error',
      'access_log_django.txt:4 simulation_end',
      'nested/deeper/kibotics_session_log.ndjson:1 session_start',
      'nested/deeper/kibotics_session_log.ndjson:1 session_end',
      'nested/deeper/kibotics_session_log.ndjson:2 session_start', // bare _source, index from the name; still open
      'nested/deeper/kibotics_session_log.ndjson:3 skip bad_json',
      'temporal/2019-10-26-log.txt:1 session_start',
      'temporal/2019-10-26-log.txt:2 simulation_start',
      'temporal/2019-10-26-log.txt:3 simulation_end',
      'temporal/2019-10-26-log.txt:4 session_end',
      'temporal/2019-10-27-log.txt:1 error',
      'temporal/2019-10-27-log.txt:2 simulation_start',
      'temporal/2019-10-27-log.txt:3 simulation_end',
      'temporal/2019-10-27-log.txt:4 skip blank',
      'temporal/2019-10-27-log.txt:5 skip unknown_code',
      'temporal/2019-10-27-log.txt:6 simulation_start',
      'temporal/2019-10-27-log.txt:7 skip bad_date',
      'final/2020-01-01-log.txt:1 session_start',
      'final/2020-01-01-log.txt:2 error',
    ]);
    for (const r of records) if ('event' in r) assert.ok(validateEvent(r.event, Date.UTC(2026, 0, 1)).ok, brief(r));
  });

  it("the autumn file comes out monotonic; its leading error is dated at the file's midnight", async () => {
    const records = await collect([`${TREE}/temporal/2019-10-27-log.txt`]);
    const events = records.flatMap((r) => ('event' in r ? [r] : []));
    assert.deepEqual(
      events.map((r) => [new Date(r.event.time).toISOString(), r.notes]),
      [
        ['2019-10-26T22:00:00.000Z', ['time_inferred']],
        ['2019-10-27T00:59:00.000Z', ['dst_repeat_first']],
        ['2019-10-27T01:00:00.000Z', ['dst_repeat_second']],
        ['2019-10-27T01:30:00.000Z', ['dst_repeat_second']],
      ]
    );
    const end = events[2].event;
    assert.equal(end.host, undefined); // websim
    assert.equal(end.user_agent, undefined); // empty UA
  });

  it('a CRLF file with a byte-order mark reads like any other', async () => {
    const records = await collect([`${TREE}/final/2020-01-01-log.txt`]);
    const first = records[0];
    assert.ok('event' in first);
    assert.equal(first.event.time, Date.UTC(2020, 0, 1, 9));
    assert.equal(first.event.user_agent, 'Mozilla/5.0 (X11; Linux x86_64; rv:70.0) Gecko/20100101 Firefox/70.0');
  });

  it('is deterministic: two imports of the same files are deep-equal', async () => {
    assert.deepEqual(await collect([TREE]), await collect([TREE]));
  });

  it('format and index options override sniffing', async () => {
    const records = await collect([`${TREE}/notes.txt`], { format: 'kibotics-log' });
    assert.deepEqual(
      records.map((r) => ('skip' in r ? r.skip : r.event.type)),
      ['unknown_code', 'blank', 'unknown_code']
    );
  });

  it('an unknown time zone fails before any record', async () => {
    await assert.rejects(collect([TREE], { timezone: 'Mars/Olympus_Mons' }), RangeError);
  });
});

describe('parseLines (a request body for POST /v1/logs)', () => {
  it('parses lines that are not in a file', async () => {
    const out: ImportRecord[] = [];
    const body = '1 | 14/01/2020 10:00:00 | user_0001 | 192.0.2.1 | UA\n5 | 500 Internal Server Error\n';
    for await (const r of parseLines(body.split('\n'), 'request', sniffFormat('request', body.split('\n')[0])))
      out.push(r);
    assert.deepEqual(
      out.map((r) => ('skip' in r ? r.skip : r.event.type)),
      ['session_start', 'error', 'blank']
    );
  });
});

describe('ImportSummary', () => {
  it('counts lines (not records), events by type, skips and notes with their first five places', async () => {
    const s = new ImportSummary();
    for await (const r of readImport([TREE])) s.add(r);
    const d = s.toJSON();
    assert.equal(d.files, 6);
    assert.equal(d.lines, 23);
    assert.equal(d.events, 16);
    assert.deepEqual(d.eventsByType, {
      simulation_start: 4,
      error: 3,
      simulation_end: 3,
      session_start: 4,
      session_end: 2,
    });
    assert.deepEqual(Object.fromEntries(Object.entries(d.skips).map(([k, v]) => [k, v.count])), {
      no_time: 1,
      bad_json: 1,
      unknown_format: 2,
      blank: 2,
      unknown_code: 1,
      bad_date: 1,
    });
    assert.deepEqual(d.skips.blank.first.map(rel), ['notes.txt:2', 'temporal/2019-10-27-log.txt:4']);
    assert.deepEqual(d.notes.dst_repeat_second.first.map(rel), [
      'temporal/2019-10-27-log.txt:3',
      'temporal/2019-10-27-log.txt:6',
    ]);
    assert.equal(s.skipped, 8);
    assert.match(s.format(), /^6 files, 23 lines: 16 events, 8 lines skipped\n/);
    assert.match(s.format(), /\n {2}skip bad_json: 1 \(first: .*kibotics_session_log\.ndjson:3\)/);
  });

  it('keeps only the first five references of a code', () => {
    const s = new ImportSummary();
    for (let i = 1; i <= 8; i++) s.add({ file: 'f', line: i, skip: 'blank' });
    assert.deepEqual(s.toJSON().skips.blank, { count: 8, first: ['f:1', 'f:2', 'f:3', 'f:4', 'f:5'] });
  });
});
