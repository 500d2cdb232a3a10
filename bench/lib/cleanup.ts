/**
 * Temp dirs and stop hooks to run even when the suite is interrupted (Ctrl-C) in the middle of a
 * scenario: each scenario removes its own in `finally`, and this catches what a kill would skip.
 */
import { rmSync } from 'node:fs';

const dirs = new Set<string>();
const hooks = new Set<() => void>();

export function tempDir(dir: string): string {
  dirs.add(dir);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** A synchronous last-resort stop (e.g. SIGKILL a child); returns the function that unregisters it. */
export function onAbort(hook: () => void): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

export function cleanupAll(): void {
  for (const h of hooks) {
    try {
      h();
    } catch {
      // best effort: keep cleaning
    }
  }
  hooks.clear();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}
