import type { Candidate } from '../pipeline/accept.js';
import type { ImportRecord } from './records.js';

export interface LineRef {
  file: string;
  line: number;
}

/**
 * Records → what the accept use case takes: every event, and every line that is not blank yet gave
 * no event (refused as `line`, so a sender learns which and the counts say it). `broken` names the
 * lines that were not valid UTF-8 (parsed as blank): they are refused as `utf8` in their place.
 */
export function candidatesOf(
  records: readonly ImportRecord[],
  broken?: ReadonlyMap<number, string>
): Candidate<LineRef>[] {
  const out: Candidate<LineRef>[] = [];
  for (const r of records) {
    const at = { file: r.file, line: r.line };
    if ('event' in r) out.push({ at, raw: r.event });
    else if (r.skip !== 'blank') out.push({ at, refused: { reason: 'line', error: `skipped: ${r.skip}` } });
    else {
      const error = broken?.get(r.line);
      if (error !== undefined) out.push({ at, refused: { reason: 'utf8', error } });
    }
  }
  return out;
}
