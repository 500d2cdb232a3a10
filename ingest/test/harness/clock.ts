import type { Clock } from '../../src/time/clock.js';

/** A clock the test moves by hand: `advance` runs the work every timer has due, in time order. */
export class FakeClock implements Clock {
  private timers: Array<{ ms: number; next: number; work: () => void }> = [];

  constructor(private time: number) {}

  now = (): number => this.time;

  every(ms: number, work: () => void): () => void {
    const timer = { ms, next: this.time + ms, work };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.next <= until).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.time = due.next;
      due.next += due.ms;
      due.work();
    }
    this.time = until;
  }
}
