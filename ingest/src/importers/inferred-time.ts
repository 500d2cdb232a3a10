/**
 * Times for lines that carry none (Kibotics' `5 | 500 Internal Server Error`, the old log's
 * `Error ==> …`): the error happened after the previous dated line of the same file, so it gets that
 * line's time; before any dated line, the start (00:00:00 local) of the day named by the file, the
 * earliest moment it can have happened, which keeps it on the right day.
 *
 * Errors sharing a base time get +1 ms each (even with dated lines of that same second between
 * them): the gateway deduplicates by content, and three real errors must not collapse into one.
 * Log times are whole seconds, so the offset never reaches another base. It depends only on the
 * file's content (deterministic).
 */
import { checkedWallMs, LocalTimeResolver, resolveUnordered } from './localtime.js';

const FILE_DATE = /(\d{4})-(\d{2})-(\d{2})/;

/** The `YYYY-MM-DD` in a file name (`2019-10-27-log.txt`) as wall ms of its midnight, if any. */
export function fileDateWall(fileName: string): number | undefined {
  const m = FILE_DATE.exec(fileName);
  if (m === null) return undefined;
  return checkedWallMs(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0);
}

export class InferredTime {
  private anchor: number | undefined;
  private run = 0;

  constructor(
    private readonly resolver: LocalTimeResolver,
    private readonly fileDay: number | undefined
  ) {}

  /** The time for an undated line, or undefined when the file offers nothing to infer it from. */
  next(): number | undefined {
    let base = this.resolver.last;
    if (base === undefined) {
      if (this.fileDay === undefined) return undefined;
      base = resolveUnordered(this.resolver.clock, this.fileDay).time;
    }
    if (this.anchor !== base) {
      this.anchor = base;
      this.run = 0;
    }
    return base + this.run++;
  }
}
