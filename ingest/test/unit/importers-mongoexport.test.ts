import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateEvent } from '../../src/events/validate.js';
import { MongoexportParser, collectionFromName, type MongoCollection } from '../../src/importers/mongoexport.js';
import type { LineOutcome } from '../../src/importers/records.js';

const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0 Safari/537.36';

function parseAll(
  collection: MongoCollection | undefined,
  docs: (object | string)[],
  fileName?: string
): LineOutcome[] {
  const p = new MongoexportParser({ timezone: 'Europe/Madrid', collection, fileName });
  return docs.map((d) => p.parse(typeof d === 'string' ? d : JSON.stringify(d)));
}

function only(o: LineOutcome) {
  assert.ok('events' in o, JSON.stringify(o));
  return o.events[0].event;
}

describe('MongoexportParser', () => {
  it('knows the collection from the file name', () => {
    assert.equal(collectionFromName('dump/kibotics.newSimulation.json'), 'newSimulation');
    assert.equal(collectionFromName('endsession.jsonl'), 'endSession');
    assert.equal(collectionFromName('applicationError.json'), 'applicationError');
    assert.equal(collectionFromName('other.json'), undefined);
  });

  it("newSession / endSession with the prototype's string date (local time)", () => {
    const doc = {
      _id: { $oid: '5d5e9f0c1c9d440000a1b2c3' },
      date: '15/10/2019 10:00:00',
      username: 'user_0010',
      client_ip: '192.0.2.30',
      user_agent: UA,
    };
    assert.deepEqual(only(parseAll(undefined, [doc], 'newSession.json')[0]), {
      type: 'session_start',
      time: Date.UTC(2019, 9, 15, 8),
      user: 'user_0010',
      client_ip: '192.0.2.30',
      user_agent: UA,
    });
    assert.equal(only(parseAll('endSession', [doc])[0]).type, 'session_end');
  });

  it("newSimulation / endSimulation: fields renamed, the prototype's placeholders dropped", () => {
    // The slides' probe stored the literal "user_agent" and "LOCAL CONTAINER".
    const doc = {
      date: '15/10/2019 10:05:00',
      username: 'user_0010',
      client_ip: '192.0.2.30',
      simulation_type: 'simulator',
      exercise_id: 'sigue_linea_f1',
      host_ip: '198.51.100.20',
      container_id: 'LOCAL CONTAINER',
      user_agent: 'user_agent',
    };
    assert.deepEqual(only(parseAll('newSimulation', [doc])[0]), {
      type: 'simulation_start',
      time: Date.UTC(2019, 9, 15, 8, 5),
      user: 'user_0010',
      client_ip: '192.0.2.30',
      simulation_type: 'simulator',
      exercise: 'sigue_linea_f1',
      host: '198.51.100.20',
    });
    const end = only(
      parseAll('endSimulation', [
        { ...doc, container_id: 'abc123def456', simulation_type: 'websim', host_ip: '192.0.2.30' },
      ])[0]
    );
    assert.equal(end.type, 'simulation_end');
    assert.equal(end.container, 'abc123def456');
    assert.equal(end.host, undefined);
  });

  it('Extended JSON dates: $date string, $date.$numberLong, $date number', () => {
    const base = { username: 'user_0011', client_ip: '192.0.2.31' };
    const out = parseAll('newSession', [
      { ...base, date: { $date: '2019-10-15T08:00:00.000Z' } },
      { ...base, date: { $date: { $numberLong: '1571126400000' } } },
      { ...base, date: { $date: 1571126400000 } },
      { ...base, date: { $date: '2019-10-15T10:00:00.000+0200' } },
    ]);
    for (const o of out) assert.equal(only(o).time, Date.UTC(2019, 9, 15, 8));
  });

  it('applicationError → error with status 500', () => {
    const e = only(
      parseAll('applicationError', [{ date: '15/10/2019 10:06:00', error: '500 Internal Server Error' }])[0]
    );
    assert.deepEqual(e, {
      type: 'error',
      time: Date.UTC(2019, 9, 15, 8, 6),
      status: 500,
      message: '500 Internal Server Error',
    });
    assert.ok(validateEvent(e, Date.UTC(2026, 0, 1)).ok);
  });

  it('skip reasons', () => {
    assert.deepEqual(
      parseAll('newSession', [
        '',
        '{not json',
        '[1,2]',
        '"text"',
        { username: 'user_0012' },
        { date: 'yesterday', username: 'user_0012' },
        { date: { $date: { $numberLong: 'x' } } },
      ]),
      [
        { skip: 'blank' },
        { skip: 'bad_json' },
        { skip: 'not_an_object' },
        { skip: 'not_an_object' },
        { skip: 'no_time' },
        { skip: 'bad_date' },
        { skip: 'bad_date' },
      ]
    );
    assert.deepEqual(parseAll(undefined, [{ date: '15/10/2019 10:00:00', username: 'user_0012' }], 'export.json'), [
      { skip: 'unknown_collection' },
    ]);
  });
});
