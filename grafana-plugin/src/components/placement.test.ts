import { placeTooltip } from './placement';
import { weekdayName } from './labels';

describe('placeTooltip', () => {
  const panel = { width: 300, height: 200 };
  const size = { width: 150, height: 90 };

  it('goes right of and below what it points at when there is room', () => {
    expect(placeTooltip({ x: 10, y: 10, width: 0, height: 0 }, size, panel)).toEqual({ left: 18, top: 18 });
  });

  it('flips left near the right edge and above near the bottom edge', () => {
    expect(placeTooltip({ x: 250, y: 180, width: 0, height: 0 }, size, panel)).toEqual({ left: 92, top: 82 });
  });

  it('stays inside the panel whatever the anchor and size', () => {
    for (const [x, y] of [
      [0, 0],
      [299, 199],
      [150, 100],
      [5, 195],
    ]) {
      for (const box of [size, { width: 290, height: 190 }, { width: 400, height: 300 }]) {
        const { left, top } = placeTooltip({ x, y, width: 10, height: 10 }, box, panel);
        expect(left).toBeGreaterThanOrEqual(0);
        expect(top).toBeGreaterThanOrEqual(0);
        if (box.width <= panel.width) {
          expect(left + box.width).toBeLessThanOrEqual(panel.width);
        }
        if (box.height <= panel.height) {
          expect(top + box.height).toBeLessThanOrEqual(panel.height);
        }
      }
    }
  });
});

describe('weekdayName, narrow', () => {
  it('tells all seven days apart, unlike one-letter names', () => {
    const names = (locale: string) => [1, 2, 3, 4, 5, 6, 0].map((d) => weekdayName(d as 0, locale, 'narrow'));
    expect(names('en')).toEqual(['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su']);
    expect(names('es')).toEqual(['lu', 'ma', 'mi', 'ju', 'vi', 'sá', 'do']);
    for (const locale of ['de', 'fr', 'pt-BR', 'ja', 'ar']) {
      expect(new Set(names(locale)).size).toBe(7);
    }
  });
});
