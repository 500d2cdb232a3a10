import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import { ActivityGrid } from '../fold';
import { ColorScale, textColorOn } from '../scale';
import { GridGeometry } from './geometry';
import { axisLabels } from './axisLabels';

interface Props {
  grid: ActivityGrid;
  scale: ColorScale;
  geometry: GridGeometry;
  width: number;
  height: number;
  locale: string;
  format: (value: number | null) => string;
  showValues: boolean;
  highlighted?: number;
  /** Pointer over a cell (its index) or off the cells (undefined); one handler for the whole grid. */
  onPointer: (index: number | undefined, event: React.MouseEvent) => void;
  onSelect: (index: number, event: React.MouseEvent) => void;
}

/** The grid as one SVG: a rect per cell with its value in data-* attributes, labels, no per-cell handlers. */
export function HeatGrid({
  grid,
  scale,
  geometry,
  width,
  height,
  locale,
  format,
  showValues,
  highlighted,
  onPointer,
  onSelect,
}: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const { left, top, cellWidth, cellHeight, gap, fontSize } = geometry;
  const labels = useMemo(
    () =>
      geometry.left === 0
        ? { rows: [], columns: [] }
        : axisLabels(grid, locale, geometry.labelWidth, geometry.rowLabelStep, geometry.columnLabelStep),
    [grid, locale, geometry]
  );

  // Hovering re-renders the grid for the highlight: cells and values are kept as the same elements.
  const cells = useMemo(
    () => (
      <>
        <g>
          {grid.cells.map((cell, index) => (
            <rect
              key={index}
              data-index={index}
              data-row={cell.row}
              data-col={cell.col}
              data-value={cell.value ?? ''}
              x={left + cell.col * cellWidth}
              y={top + cell.row * cellHeight}
              width={Math.max(0, cellWidth - gap)}
              height={Math.max(0, cellHeight - gap)}
              fill={scale.colorOf(cell.value)}
            />
          ))}
        </g>
        {showValues && geometry.valuesFit && (
          <g fontSize={fontSize} textAnchor="middle" dominantBaseline="central" pointerEvents="none">
            {grid.cells.map((cell, index) =>
              cell.value === null ? null : (
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
    [grid, scale, geometry, showValues, format, theme, left, top, cellWidth, cellHeight, gap, fontSize]
  );

  const cellAt = (event: React.MouseEvent) => {
    const index = (event.target as Element).getAttribute('data-index');
    return index === null ? undefined : Number(index);
  };

  return (
    <svg
      width={width}
      height={height}
      className={styles.svg}
      role="img"
      aria-label={`Activity by ${grid.layout === 'weekdayHour' ? 'weekday and hour' : 'week and weekday'}`}
      onMouseMove={(event) => onPointer(cellAt(event), event)}
      onMouseLeave={(event) => onPointer(undefined, event)}
      onClick={(event) => {
        const index = cellAt(event);
        if (index !== undefined) {
          onSelect(index, event);
        }
      }}
    >
      <g fontSize={fontSize} fill={theme.colors.text.secondary}>
        {labels.rows.map((label, row) =>
          label ? (
            <text key={row} x={left - 4} y={top + (row + 0.5) * cellHeight} textAnchor="end" dominantBaseline="central">
              {label}
            </text>
          ) : null
        )}
        {labels.columns.map((label, col) =>
          label ? (
            <text key={col} x={left + col * cellWidth} y={top - 5} textAnchor="start">
              {label}
            </text>
          ) : null
        )}
      </g>
      {cells}
      {highlighted !== undefined && grid.cells[highlighted] && (
        <rect
          x={left + grid.cells[highlighted].col * cellWidth}
          y={top + grid.cells[highlighted].row * cellHeight}
          width={Math.max(0, cellWidth - gap)}
          height={Math.max(0, cellHeight - gap)}
          className={styles.highlight}
        />
      )}
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css({ display: 'block', userSelect: 'none', cursor: 'default' }),
  highlight: css({ fill: 'none', stroke: theme.colors.text.primary, strokeWidth: 2, pointerEvents: 'none' }),
});
