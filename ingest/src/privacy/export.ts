import type { InfluxClient } from '../influx/client.js';
import { quoteString } from '../influx/client.js';
import { storableTag } from '../points/line-protocol.js';
import { USER_FIELDED, USER_TAGGED } from '@kibotics/schema';

export interface UserExport {
  user: string;
  stored_as: string;
  exported_at: string;
  /** Per measurement, the user's points: time (ISO) and every tag and field. */
  measurements: Record<string, Array<Record<string, unknown>>>;
}

/** One user's data as JSON (the right of access), read back from InfluxDB. */
export async function exportUser(
  influx: InfluxClient,
  user: string,
  storedAs: string,
  now = Date.now()
): Promise<UserExport> {
  const measurements: UserExport['measurements'] = {};
  // The raw points carry the user as a tag (stored in its line-protocol-safe form); active users as a field.
  const reads = [
    ...USER_TAGGED.map((m) => [m, storableTag(storedAs)] as const),
    ...USER_FIELDED.map((m) => [m, storedAs] as const),
  ];
  for (const [m, value] of reads) {
    const [result] = await influx.query(`SELECT * FROM "${m}" WHERE "user" = ${quoteString(value)}`);
    const rows = (result?.series ?? []).flatMap((s) =>
      s.values.map((v) =>
        Object.fromEntries(s.columns.map((c, i) => [c, c === 'time' ? new Date(v[i] as number).toISOString() : v[i]]))
      )
    );
    if (rows.length > 0)
      measurements[m] = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)));
  }
  return { user, stored_as: storedAs, exported_at: new Date(now).toISOString(), measurements };
}
