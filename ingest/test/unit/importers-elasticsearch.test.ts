import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateEvent } from '../../src/events/validate.js';
import { ElasticsearchParser, indexKindOf } from '../../src/importers/elasticsearch-ndjson.js';
import type { LineOutcome, ParsedEvent } from '../../src/importers/records.js';

function parseAll(docs: (object | string)[], opts: { index?: string; fileName?: string } = {}): LineOutcome[] {
  const p = new ElasticsearchParser({ timezone: 'Europe/Madrid', ...opts });
  return docs.map((d) => p.parse(typeof d === 'string' ? d : JSON.stringify(d)));
}

function events(o: LineOutcome): ParsedEvent[] {
  assert.ok('events' in o, JSON.stringify(o));
  return o.events;
}

const session = {
  username: 'user_0020',
  start_date: '2020-01-14T10:00:00.123456',
  end_date: '2020-01-14T10:30:00.000001',
  duration: 1800,
  client_ip: '192.0.2.40',
  browser: 'Firefox 72.0',
  os: 'Ubuntu',
  device: 'Other',
  location: { lat: 40.4, lon: -3.7 },
};

describe('ElasticsearchParser', () => {
  it('finds the index kind in _index, names and options', () => {
    assert.equal(indexKindOf('kibotics_session_log'), 'session');
    assert.equal(indexKindOf('kibotics_simulation_log-2020.01'), 'simulation');
    assert.equal(indexKindOf('dump/kibotics_visit_log.ndjson'), 'visit');
    assert.equal(indexKindOf('kibotics_error_log'), 'error');
    assert.equal(indexKindOf('other'), undefined);
  });

  it('a session document → session_start and session_end sharing a deterministic session_id', () => {
    const [o] = parseAll([{ _index: 'kibotics_session_log', _id: 'x1', _source: session }]);
    const [start, end] = events(o);
    assert.equal(start.event.type, 'session_start');
    assert.equal(end.event.type, 'session_end');
    assert.equal(start.event.time, Date.UTC(2020, 0, 14, 9, 0, 0, 123)); // naive → Madrid local
    assert.equal(end.event.time, Date.UTC(2020, 0, 14, 9, 30));
    assert.match(start.event.session_id ?? '', /^es-[0-9a-f]{24}$/);
    assert.equal(start.event.session_id, end.event.session_id);
    assert.deepEqual(Object.keys(start.event).sort(), ['client_ip', 'session_id', 'time', 'type', 'user']);
    // The same document, bare and from a file named after the index: identical events.
    const [bare] = parseAll([session], { fileName: 'kibotics_session_log.ndjson' });
    assert.deepEqual(events(bare), events(o));
    for (const p of [start, end]) assert.ok(validateEvent(p.event, Date.UTC(2026, 0, 1)).ok);
  });

  it('different documents get different session ids', () => {
    const [a] = parseAll([session], { index: 'kibotics_session_log' });
    const [b] = parseAll([{ ...session, start_date: '2020-01-14T10:00:01' }], { index: 'session' });
    assert.notEqual(events(a)[0].event.session_id, events(b)[0].event.session_id);
  });

  it('a simulation document without end_date: end = start + duration; open ones give a start only', () => {
    const sim = {
      username: 'user_0021',
      start_date: '2020-01-14T09:00:00Z',
      duration: 90.4,
      client_ip: '192.0.2.41',
      simulation_type: 'simulator',
      exercise_id: 'gato_raton',
    };
    const [o] = parseAll([{ _index: 'kibotics_simulation_log', _source: sim }]);
    const [start, end] = events(o);
    assert.deepEqual(start.event, {
      type: 'simulation_start',
      time: Date.UTC(2020, 0, 14, 9),
      user: 'user_0021',
      client_ip: '192.0.2.41',
      simulation_type: 'simulator',
      exercise: 'gato_raton',
      session_id: start.event.session_id,
    });
    assert.equal(end.event.time, Date.UTC(2020, 0, 14, 9, 1, 30, 400));
    assert.deepEqual(end.notes, ['end_from_duration']);
    const [open] = parseAll([{ ...sim, duration: null, end_date: null }], { index: 'kibotics_simulation_log' });
    assert.deepEqual(
      events(open).map((p) => p.event.type),
      ['simulation_start']
    );
  });

  it('an end in the repeated autumn hour is never put before its start', () => {
    const [o] = parseAll([{ ...session, start_date: '2019-10-27T02:50:00', end_date: '2019-10-27T02:10:00' }], {
      index: 'session',
    });
    const [start, end] = events(o);
    assert.equal(start.event.time, Date.UTC(2019, 9, 27, 0, 50));
    assert.equal(end.event.time, Date.UTC(2019, 9, 27, 1, 10));
    assert.deepEqual(end.notes, ['dst_repeat_second']);
  });

  it('visit and error documents', () => {
    const [v] = parseAll([
      {
        _index: 'kibotics_visit_log',
        _source: {
          date: 1579000000000,
          client_ip: '2001:db8::5',
          browser: 'Chrome 79',
          os: 'Windows 10',
          device: 'Other',
        },
      },
    ]);
    assert.deepEqual(events(v)[0].event, { type: 'visit', time: 1579000000000, client_ip: '2001:db8::5' });
    const [e] = parseAll(
      [{ date: '2020-01-14T12:00:00+01:00', message: '500 Internal Server Error', username: 'user_0022' }],
      { fileName: 'kibotics_error_log.json' }
    );
    assert.deepEqual(events(e)[0].event, {
      type: 'error',
      time: Date.UTC(2020, 0, 14, 11),
      user: 'user_0022',
      status: 500,
      message: '500 Internal Server Error',
    });
  });

  it('skip reasons', () => {
    assert.deepEqual(
      parseAll([
        '',
        '{"a":',
        'null',
        { username: 'user_0023' },
        { _index: 'kibotics_session_log', _source: { username: 'user_0023' } },
        { _index: 'kibotics_session_log', _source: { username: 'u', start_date: 'soon' } },
      ]),
      [
        { skip: 'blank' },
        { skip: 'bad_json' },
        { skip: 'not_an_object' },
        { skip: 'unknown_index' },
        { skip: 'no_time' },
        { skip: 'bad_date' },
      ]
    );
  });
});
