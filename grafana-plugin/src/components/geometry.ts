import { LabelWidth } from './labels';

/** Where things go in the panel, from its size: labels shrink, then thin out, then hide. */
export interface GridGeometry {
  fontSize: number;
  labelWidth: LabelWidth;
  /** Width of the row labels and height of the column labels (0 = hidden). */
  left: number;
  top: number;
  cellWidth: number;
  cellHeight: number;
  gap: number;
  /** Label every n-th column / row so that labels never overlap (columns: a multiple of columnsPerLabel). */
  columnLabelStep: number;
  rowLabelStep: number;
  /** Columns per labelled unit (an hour's columns), for centring hour labels. */
  columnsPerLabel: number;
  /** Whether values fit inside the cells. */
  valuesFit: boolean;
}

export interface GeometryInput {
  width: number;
  height: number;
  rows: number;
  columns: number;
  /** Longest row label and column label in characters, at each label width. */
  rowLabelChars: Record<LabelWidth, number>;
  columnLabelChars: number;
  /** Columns per labelled unit: labels sit on whole hours when columns are 15 or 30 minutes. */
  columnsPerLabel: number;
  valueChars: number;
}

export const CHAR_WIDTH = 0.62; // of the font size, for Grafana's Inter at small sizes

export function gridGeometry(input: GeometryInput): GridGeometry {
  const { width, height, rows, columns } = input;
  const small = width < 400 || height < 250;
  const fontSize = small ? 10 : 12;
  const charWidth = fontSize * CHAR_WIDTH;
  const labelWidth: LabelWidth = width >= 700 ? 'long' : width >= 360 ? 'short' : 'narrow';
  const showLabels = width >= 120 && height >= 80;

  const left = showLabels ? Math.ceil(input.rowLabelChars[labelWidth] * charWidth) + 6 : 0;
  const top = showLabels ? fontSize + 6 : 0;
  const cellWidth = Math.max(0, (width - left) / Math.max(1, columns));
  const cellHeight = Math.max(0, (height - top) / Math.max(1, rows));

  return {
    fontSize,
    labelWidth,
    left,
    top,
    cellWidth,
    cellHeight,
    gap: Math.min(cellWidth, cellHeight) >= 8 ? 1 : 0,
    columnLabelStep:
      input.columnsPerLabel *
      labelStep(cellWidth * input.columnsPerLabel, (input.columnLabelChars + 1) * charWidth, columns),
    rowLabelStep: labelStep(cellHeight, fontSize + 1, rows),
    columnsPerLabel: input.columnsPerLabel,
    valuesFit: cellWidth >= (input.valueChars + 1) * charWidth && cellHeight >= fontSize + 2,
  };
}

/** Smallest step, preferring divisors of 24, that leaves room for each label. */
function labelStep(cellSize: number, labelSize: number, count: number): number {
  for (const step of [1, 2, 3, 4, 6, 8, 12, 24]) {
    if (cellSize * step >= labelSize) {
      return step;
    }
  }
  return Math.max(1, count);
}
