import { ROLLUPS } from '@kibotics/schema';
import { line, nanoseconds, typedFields, type Tags } from './line-protocol.js';

const BY_MEASUREMENT = new Map(Object.values(ROLLUPS).map((spec) => [spec.measurement as string, spec]));

/**
 * The point of one roll-up bucket: its running totals, each field with the type the schema gives it
 * (the spool keeps bare numbers), at the bucket's start.
 */
export function rollupLine(measurement: string, tags: Tags, bucket: number, totals: Record<string, number>): string {
  const spec = BY_MEASUREMENT.get(measurement);
  if (!spec) throw new Error(`unknown roll-up measurement ${measurement}`);
  return line(measurement, tags, typedFields(spec.fields, totals), nanoseconds(bucket));
}
