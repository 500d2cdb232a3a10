/**
 * The contract as the Django client reads it (clients/django/kibotics_analytics/contract.json): the
 * event types, what each requires, and every field's length limit, so the client clips values to the
 * gateway's limits instead of repeating them by hand. `--check` fails when the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_FIELDS, EVENT_TYPES } from '../src/events.js';

const TARGET = join(import.meta.dirname, '../../../clients/django/kibotics_analytics/contract.json');

const contract = {
  $comment: 'Generated from @kibotics/schema by `npm run generate -w @kibotics/schema`: do not edit.',
  types: EVENT_TYPES,
  max: Object.fromEntries(
    Object.entries(EVENT_FIELDS).flatMap(([name, rule]) => ('max' in rule ? [[name, rule.max]] : []))
  ),
};
const text = `${JSON.stringify(contract, null, 2)}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(TARGET, 'utf8');
  } catch {
    // missing: stale
  }
  if (current !== text) {
    console.error(`${TARGET}: stale; run npm run generate -w @kibotics/schema`);
    process.exit(1);
  }
} else {
  writeFileSync(TARGET, text);
}
