import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EVENT_FIELDS, EVENT_TYPES, EVENTS } from '@kibotics/schema';

// The README's "Events" table is the contract as clients read it; EVENTS is the contract as the gateway
// enforces it. Written by hand, the table drifts unless something compares the two.
const README = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');

interface Row {
  type: string;
  for: string;
  notes: string;
}

function eventsTable(): Map<string, Row> {
  const section = README.split('\n### Events\n')[1]?.split('\n### ')[0];
  assert.ok(section, 'README.md has a "### Events" section');
  const rows = new Map<string, Row>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || !cells[1].startsWith('`')) continue;
    for (const [, name] of cells[1].matchAll(/`([a-z_]+)`/g))
      rows.set(name, { type: cells[2], for: cells[3], notes: cells[4] });
  }
  return rows;
}

test('README "Events" lists every field of the contract, with its length limit', () => {
  const rows = eventsTable();
  for (const [name, rule] of Object.entries(EVENT_FIELDS)) {
    const row = rows.get(name);
    assert.ok(row, `README "Events" has no row for \`${name}\``);
    if ('max' in rule) assert.match(row.type, new RegExp(`≤ ${rule.max}\\b`), `\`${name}\`: README says ${row.type}`);
  }
  for (const name of rows.keys()) {
    assert.ok(
      name === 'type' || name === 'time' || name in EVENT_FIELDS,
      `README "Events" documents \`${name}\`, which no event accepts`
    );
  }
});

test('README "Events" names every event type and says which fields some type requires', () => {
  const rows = eventsTable();
  const types = rows.get('type')!.notes;
  for (const type of EVENT_TYPES)
    assert.match(types, new RegExp(`\`${type}\``), `README "Events" does not name \`${type}\``);
  const required = new Set(Object.values(EVENTS).flatMap((spec) => [...spec.required]));
  for (const name of required)
    assert.match(`${rows.get(name)!.type} ${rows.get(name)!.for}`, /required/, `\`${name}\` is required by some type`);
});
