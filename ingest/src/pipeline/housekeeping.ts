import type { Pairer } from '../pairing/pairing.js';
import { isDiskFull } from '../store/disk-space.js';
import type { ActiveUsers } from './active-users.js';

/** What a round of housekeeping did (metrics and logs listen here). */
export interface HousekeepingObserver {
  /** Open starts forgotten as too old to pair (0 included: a round ran). */
  openStartsPruned?(count: number): void;
}

/**
 * The gateway's state that only grows unless pruned: open starts that can no longer pair (else
 * `open_start` grows with every start whose end never came), and active-user marks only late events
 * could still need. Run on the gateway's clock; a full disk skips a round (the next one tries again).
 */
export class Housekeeping {
  constructor(
    private readonly parts: { pairer: Pairer; activeUsers: ActiveUsers },
    private readonly now: () => number,
    private readonly observer: HousekeepingObserver = {}
  ) {}

  run(): void {
    try {
      const now = this.now();
      this.observer.openStartsPruned?.(this.parts.pairer.forgetOlderThan(now));
      // Ended spans can go: a late event writes another point, counted once, harmlessly.
      this.parts.activeUsers.forgetBefore(now);
    } catch (err) {
      if (!isDiskFull(err)) throw err;
    }
  }
}
