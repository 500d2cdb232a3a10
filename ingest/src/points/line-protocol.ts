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
