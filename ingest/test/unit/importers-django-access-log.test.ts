import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateEvent } from '../../src/events/validate.js';
import { DjangoAccessLogParser } from '../../src/importers/django-access-log.js';
import type { LineOutcome } from '../../src/importers/records.js';

const CONTAINER = '0123456789abcdef'.repeat(4);

function parseAll(lines: string[]): LineOutcome[] {
  const p = new DjangoAccessLogParser({ timezone: 'Europe/Madrid', fileName: 'access_log_django.txt' });
  return lines.map((l) => p.parse(l));
}

describe('DjangoAccessLogParser (access_log_django.txt)', () => {
  it('New / End Simulation → simulation_start / simulation_end (summer time: UTC+2)', () => {
    const out = parseAll([
      `New Simulation ==> 23/05/2019 18:27:53: user_0007 192.0.2.20 simulator choca_gira_us 198.51.100.3 ${CONTAINER}`,
      `End Simulation ==> 23/05/2019 18:40:00: user_0007 192.0.2.20 simulator choca_gira_us 198.51.100.3 ${CONTAINER}`,
    ]);
    assert.deepEqual(out[0], {
      events: [
        {
          event: {
            type: 'simulation_start',
            time: Date.UTC(2019, 4, 23, 16, 27, 53),
            user: 'user_0007',
            client_ip: '192.0.2.20',
            simulation_type: 'simulator',
            exercise: 'choca_gira_us',
            host: '198.51.100.3',
            container: CONTAINER,
          },
        },
      ],
    });
    assert.ok('events' in out[1]);
    assert.equal(out[1].events[0].event.type, 'simulation_end');
    for (const o of out) assert.ok('events' in o && validateEvent(o.events[0].event, Date.UTC(2026, 0, 1)).ok);
  });

  it('an End line with a trailing space and no container', () => {
    const [o] = parseAll([
      'End Simulation ==> 11/10/2019 13:47:23: user_0008 192.0.2.21 simulator introduccion_python 192.0.2.2 ',
    ]);
    assert.ok('events' in o);
    assert.equal(o.events[0].event.container, undefined);
    assert.equal(o.events[0].event.host, '192.0.2.2');
  });

  it('runs of spaces separate fields like one; the container is the rest, one space apart', () => {
    const [o] = parseAll([
      'New Simulation ==> 23/05/2019 18:27:53:  user_0007   192.0.2.20 simulator  choca_gira_us 198.51.100.3 local  container  ',
    ]);
    assert.ok('events' in o);
    const e = o.events[0].event;
    assert.deepEqual(
      [e.user, e.client_ip, e.simulation_type, e.exercise, e.host, e.container],
      ['user_0007', '192.0.2.20', 'simulator', 'choca_gira_us', '198.51.100.3', 'local container']
    );
  });

  it("Error lines: leading ones have no time (no date in the file name), later ones take the previous line's", () => {
    const out = parseAll([
      'Error ==> 500 Internal Server Error',
      `New Simulation ==> 28/05/2019 12:37:49: user_0009 192.0.2.22 real sigue_linea_ir 198.51.100.4 ${CONTAINER}`,
      'Error ==> 500 Internal Server Error',
      'Error ==> 500 Internal Server Error',
    ]);
    assert.deepEqual(out[0], { skip: 'no_time' });
    const t = Date.UTC(2019, 4, 28, 10, 37, 49);
    assert.deepEqual(out[2], {
      events: [
        {
          event: { type: 'error', time: t, status: 500, message: '500 Internal Server Error' },
          notes: ['time_inferred'],
        },
      ],
    });
    assert.ok('events' in out[3]);
    assert.equal(out[3].events[0].event.time, t + 1);
  });

  it('skip reasons', () => {
    assert.deepEqual(
      parseAll([
        '',
        'Something else entirely',
        'Restart ==> 23/05/2019 18:27:53: x',
        'New Simulation ==> 23/05/2019 18:27:53: user_0007 192.0.2.20 simulator',
        'New Simulation ==> 23/05/2019 18:27:53 user_0007 192.0.2.20 simulator choca_gira_us 198.51.100.3',
        'New Simulation ==> 32/05/2019 18:27:53: user_0007 192.0.2.20 simulator choca_gira_us 198.51.100.3',
        'New Simulation ==> short',
      ]),
      [
        { skip: 'blank' },
        { skip: 'unknown_code' },
        { skip: 'unknown_code' },
        { skip: 'too_few_fields' },
        { skip: 'bad_date' },
        { skip: 'bad_date' },
        { skip: 'too_few_fields' },
      ]
    );
  });
});
