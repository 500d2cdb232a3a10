import { Point } from '@influxdata/influxdb-client';
import type { FieldType } from '@kibotics/schema';

export type Tags = Record<string, string | undefined>;

/**
 * One line of line protocol. Escaping is the client library's; the validator has already turned
 * control characters into spaces or rejected them, so nothing here can end or bend a line.
 */
export function line(
  measurement: string,
  tags: Tags,
  fields: {
    ints?: Record<string, number>;
    floats?: Record<string, number>;
    strings?: Record<string, string | undefined>;
  },
  timeNs: string
): string {
  const point = new Point(measurement);
  for (const [key, value] of Object.entries(tags)) {
    if (value !== undefined && value !== '') point.tag(key, storableTag(value));
  }
  for (const [key, value] of Object.entries(fields.ints ?? {})) point.intField(key, value);
  for (const [key, value] of Object.entries(fields.floats ?? {})) point.floatField(key, value);
  for (const [key, value] of Object.entries(fields.strings ?? {}))
    if (value !== undefined) point.stringField(key, value);
  point.timestamp(timeNs);
  const text = point.toLineProtocol();
  if (text === undefined) throw new Error(`point of ${measurement} has no fields`);
  return text;
}

/**
 * InfluxDB 1.x cannot parse a tag value that ends in a backslash, whatever the escaping; the last
 * one becomes U+FF3C (＼), which reads the same on a dashboard. An empty value is not a tag at all.
 */
export function storableTag(value: string): string {
  return value.endsWith('\\') ? `${value.slice(0, -1)}\uff3c` : value;
}

export function typedFields(types: Record<string, FieldType>, values: Record<string, number>) {
  const ints: Record<string, number> = {};
  const floats: Record<string, number> = {};
  for (const [key, type] of Object.entries(types)) {
    const value = values[key] ?? 0;
    if (type === 'integer') ints[key] = Math.round(value);
    else floats[key] = value;
  }
  return { ints, floats };
}

/** Epoch milliseconds plus sub-millisecond nanoseconds, as the decimal string line protocol wants. */
export function nanoseconds(ms: number, nanos = 0): string {
  return `${ms}${String(nanos).padStart(6, '0')}`;
}

/** A line read back: its measurement, tags and string fields, unescaped (other fields are left out). */
export interface ReadLine {
  measurement: string;
  tags: Record<string, string>;
  strings: Record<string, string>;
}

/**
 * Reads a line written by `line()` back (the client's escaping undone: a backslash escapes `,`, `=`
 * or a space in names and tags, `"` or a backslash in string fields; any other backslash is itself).
 * Only for stored lines that predate a column (see Spool.forgetUser).
 */
export function readLine(text: string): ReadLine {
  let i = 0;
  const name = (stops: string) => {
    let out = '';
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\' && ',= '.includes(text[i + 1] ?? '\\')) out += text[++i];
      else if (stops.includes(c)) break;
      else out += c;
    }
    return out;
  };
  const measurement = name(', ');
  const tags: Record<string, string> = {};
  while (text[i] === ',') {
    i++;
    const key = name('=');
    i++;
    tags[key] = name(', ');
  }
  const strings: Record<string, string> = {};
  // The fields: after the space that ends the tags, separated by commas, up to the space before the time.
  for (let first = true; text[i] === (first ? ' ' : ','); first = false) {
    i++;
    const key = name('=');
    i++;
    if (text[i] !== '"') {
      while (i < text.length && text[i] !== ',' && text[i] !== ' ') i++;
      continue;
    }
    let value = '';
    for (i++; i < text.length && text[i] !== '"'; i++) {
      if (text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) i++;
      value += text[i];
    }
    i++; // the closing quote
    strings[key] = value;
  }
  return { measurement, tags, strings };
}
