import React, { useMemo, useRef } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import { ActivityGrid } from '../fold';
import { ColorScale, textColorOn } from '../scale';
import { CHAR_WIDTH, GridGeometry } from './geometry';
import { axisLabels } from './axisLabels';

interface Props {
  grid: ActivityGrid;
  scale: ColorScale;
  geometry: GridGeometry;
  width: number;
  height: number;
  locale: string;
  format: (value: number | null) => string;
  /** Accessible name of each cell ("martes 13:00–14:00: 478 starts, mean of 17 weeks"). */
  describe: (index: number) => string;
  showValues: boolean;
  highlighted?: number;
  /** Cell of the current weekday and hour, outlined; undefined when off or outside the grid. */
  now?: number;
  /** Cell that takes the keyboard focus when tabbing into the grid. */
  focusable: number;
  /** Pointer over a cell (its index) or off the cells (undefined); one handler for the whole grid. */
  onPointer: (index: number | undefined, event: React.MouseEvent) => void;
  onSelect: (index: number, event: React.MouseEvent | React.KeyboardEvent) => void;
  onFocusCell: (index: number | undefined) => void;
}

/**
 * The grid as one SVG with the roles of an ARIA grid: a row group per row, a rect per cell with its
 * value in data-* attributes and an accessible name. One cell is in the tab order at a time; arrow
 * keys move between cells, Enter opens the cell's links. No per-cell handlers.
 */
export function HeatGrid({
  grid,
  scale,
  geometry,
  width,
  height,
  locale,
  format,
  describe,
  showValues,
  highlighted,
  now,
  focusable,
  onPointer,
  onSelect,
  onFocusCell,
}: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const svg = useRef<SVGSVGElement>(null);
  const { left, top, cellWidth, cellHeight, gap, fontSize } = geometry;
  const labels = useMemo(
    () =>
      geometry.left === 0
        ? { rows: [], columns: [] }
        : axisLabels(grid, locale, geometry.labelWidth, geometry.rowLabelStep, geometry.columnLabelStep),
    [grid, locale, geometry]
  );
  const width1 = grid.columns.length;

  // Hovering re-renders the grid for the highlight: cells and values are kept as the same elements.
  const cells = useMemo(
    () => (
      <>
        {grid.rows.map((_, row) => (
          <g role="row" key={row}>
            {grid.cells.slice(row * width1, (row + 1) * width1).map((cell, col) => {
              const index = row * width1 + col;
              return (
                <rect
                  key={index}
                  role="gridcell"
                  aria-label={describe(index)}
                  tabIndex={index === focusable ? 0 : -1}
                  data-index={index}
                  data-row={cell.row}
                  data-col={cell.col}
                  data-value={cell.value ?? ''}
                  data-hidden={scale.isHidden(cell.value) ? '' : undefined}
                  x={left + cell.col * cellWidth}
                  y={top + cell.row * cellHeight}
                  width={Math.max(0, cellWidth - gap)}
                  height={Math.max(0, cellHeight - gap)}
                  fill={scale.colorOf(cell.value)}
                  className={styles.cell}
                />
              );
            })}
          </g>
        ))}
        {showValues && geometry.valuesFit && (
          <g fontSize={fontSize} textAnchor="middle" dominantBaseline="central" pointerEvents="none" aria-hidden>
            {grid.cells.map((cell, index) =>
              cell.value === null || scale.isHidden(cell.value) ? null : (
                <text
                  key={index}
                  x={left + (cell.col + 0.5) * cellWidth - gap / 2}
                  y={top + (cell.row + 0.5) * cellHeight - gap / 2}
                  fill={textColorOn(scale.colorOf(cell.value), theme)}
                >
                  {format(cell.value)}
                </text>
              )
            )}
          </g>
        )}
      </>
    ),
    [
      grid,
      scale,
      geometry,
      showValues,
      format,
      theme,
      left,
      top,
      cellWidth,
      cellHeight,
      gap,
      fontSize,
      describe,
      focusable,
      width1,
      styles,
    ]
  );

  const indexOf = (target: EventTarget) => {
    const index = (target as Element).getAttribute?.('data-index');
    return index === null || index === undefined ? undefined : Number(index);
  };
  const focusCell = (index: number) =>
    svg.current?.querySelector<SVGRectElement>(`rect[data-index="${index}"]`)?.focus();

  const onKeyDown = (event: React.KeyboardEvent) => {
    const index = indexOf(event.target);
    if (index === undefined) {
      return;
    }
    const row = Math.floor(index / width1);
    const col = index % width1;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [row, col - 1],
      ArrowRight: [row, col + 1],
      ArrowUp: [row - 1, col],
      ArrowDown: [row + 1, col],
      Home: [row, 0],
      End: [row, width1 - 1],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      const [r, c] = move;
      if (r >= 0 && r < grid.rows.length && c >= 0 && c < width1) {
        focusCell(r * width1 + c);
      }
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(index, event);
    }
  };

  // Hour labels sit over the middle of their hour; kept inside the panel at both ends.
  const charWidth = fontSize * CHAR_WIDTH;
  const columnLabelX = (col: number, label: string) => {
    const middle = left + (col + geometry.columnsPerLabel / 2) * cellWidth - gap / 2;
    const half = (label.length * charWidth) / 2;
    return Math.min(width - half, Math.max(left + half, middle));
  };

  const box = (index: number) => ({
    x: left + grid.cells[index].col * cellWidth,
    y: top + grid.cells[index].row * cellHeight,
    width: Math.max(0, cellWidth - gap),
    height: Math.max(0, cellHeight - gap),
  });
  const layoutName = { weekdayHour: 'weekday and hour', weekWeekday: 'week and weekday', dayHour: 'day and hour' };

  return (
    <svg
      ref={svg}
      width={width}
      height={height}
      className={styles.svg}
      role="grid"
      aria-label={`Activity by ${layoutName[grid.layout]}`}
      onMouseMove={(event) => onPointer(indexOf(event.target), event)}
      onMouseLeave={(event) => onPointer(undefined, event)}
      onClick={(event) => {
        const index = indexOf(event.target);
        if (index !== undefined) {
          onSelect(index, event);
        }
      }}
      onKeyDown={onKeyDown}
      onFocus={(event) => onFocusCell(indexOf(event.target))}
      onBlur={(event) => {
        if (!svg.current?.contains(event.relatedTarget as Node | null)) {
          onFocusCell(undefined);
        }
      }}
    >
      <g fontSize={fontSize} fill={theme.colors.text.secondary} aria-hidden>
        {labels.rows.map((label, row) =>
          label ? (
            <text key={row} x={left - 4} y={top + (row + 0.5) * cellHeight} textAnchor="end" dominantBaseline="central">
              {label}
            </text>
          ) : null
        )}
        {labels.columns.map((label, col) =>
          label ? (
            <text key={col} x={columnLabelX(col, label)} y={top - 5} textAnchor="middle" data-column-label={col}>
              {label}
            </text>
          ) : null
        )}
      </g>
      {cells}
      {now !== undefined && grid.cells[now] && (
        <rect {...box(now)} className={styles.now} data-testid="activity-now" aria-hidden />
      )}
      {highlighted !== undefined && grid.cells[highlighted] && (
        <rect {...box(highlighted)} className={styles.highlight} aria-hidden />
      )}
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css({ display: 'block', userSelect: 'none', cursor: 'default' }),
  cell: css({ outline: 'none' }),
  highlight: css({ fill: 'none', stroke: theme.colors.text.primary, strokeWidth: 2, pointerEvents: 'none' }),
  now: css({
    fill: 'none',
    stroke: theme.colors.warning.main,
    strokeWidth: 2,
    strokeDasharray: '3 2',
    pointerEvents: 'none',
  }),
});
