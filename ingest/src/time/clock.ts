/** The gateway's clock: the time, and work repeated on it. Tests drive both by hand (a fake clock). */
export interface Clock {
  now(): number;
  /** Runs `work` every `ms` from now on; returns what stops it. Never keeps the process alive by itself. */
  every(ms: number, work: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  every(ms, work) {
    const timer = setInterval(work, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};
