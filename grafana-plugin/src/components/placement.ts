export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const OFFSET = 8;

/**
 * Where a tooltip of a measured size goes: right of and below what it points at; flipped to the left
 * or above when it would cross the panel's right or bottom edge; then kept inside the panel (a
 * tooltip larger than the panel starts at its top-left corner and scrolls).
 */
export function placeTooltip(
  anchor: Box,
  size: { width: number; height: number },
  panel: { width: number; height: number }
): { left: number; top: number } {
  let left = anchor.x + anchor.width + OFFSET;
  if (left + size.width > panel.width) {
    left = anchor.x - OFFSET - size.width;
  }
  let top = anchor.y + anchor.height + OFFSET;
  if (top + size.height > panel.height) {
    top = anchor.y - OFFSET - size.height;
  }
  return {
    left: Math.max(0, Math.min(left, panel.width - size.width)),
    top: Math.max(0, Math.min(top, panel.height - size.height)),
  };
}
