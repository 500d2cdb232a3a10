import React, { useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import { ActivityOptions } from '../types';
import { labelLengths } from './axisLabels';
import { cellLinks, cellPlace, cellScopedVars, cellTitle } from './cellInfo';
import { CellTooltip } from './CellTooltip';
import { gridGeometry } from './geometry';
import { HeatGrid } from './HeatGrid';
import { userLocale } from './labels';
import { ScaleLegend } from './ScaleLegend';
import { useActivity } from './useActivity';

const LEGEND_HEIGHT = 24;

interface Pointer {
  index: number;
  x: number;
  y: number;
  pinned: boolean;
}

export function ActivityPanel(props: PanelProps<ActivityOptions>) {
  const { options, width, height, replaceVariables, onChangeTimeRange } = props;
  const styles = useStyles2(getStyles);
  const { activity, error } = useActivity(props);
  const [pointer, setPointer] = useState<Pointer>();
  const locale = useMemo(() => userLocale(), []);

  const showLegend = options.showLegend && height >= 120;
  const gridHeight = height - (showLegend ? LEGEND_HEIGHT : 0);
  const geometry = useMemo(() => {
    if (!activity) {
      return undefined;
    }
    const { grid, format } = activity;
    return gridGeometry({
      width,
      height: gridHeight,
      rows: grid.rows.length,
      columns: grid.columns.length,
      ...labelLengths(grid, locale),
      columnsPerLabel: grid.layout === 'weekdayHour' ? 60 / grid.slotMinutes : 1,
      valueChars: Math.max(format(activity.scale.min).length, format(activity.scale.max).length),
    });
  }, [activity, width, gridHeight, locale]);

  useEffect(() => {
    const unpin = (event: KeyboardEvent) => event.key === 'Escape' && setPointer(undefined);
    window.addEventListener('keydown', unpin);
    return () => window.removeEventListener('keydown', unpin);
  }, []);

  if (error || !activity || !geometry) {
    return <div className={styles.message}>{error}</div>;
  }
  if (activity.grid.points === 0) {
    return <div className={styles.message}>No data</div>;
  }

  const { grid, scale, format } = activity;
  const at = (event: React.MouseEvent) => {
    const box = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  };
  const cell = pointer ? grid.cells[pointer.index] : undefined;
  const place = cell && cellPlace(grid, cell);
  const valueText = cell ? format(cell.value) : '';
  const hasEmptyCells = grid.cells.some((c) => c.value === null);

  return (
    <div className={styles.wrapper} style={{ width, height }}>
      <HeatGrid
        grid={grid}
        scale={scale}
        geometry={geometry}
        width={width}
        height={gridHeight}
        locale={locale}
        format={format}
        showValues={options.showValues}
        highlighted={pointer?.index}
        onPointer={(index, event) => {
          if (!pointer?.pinned) {
            setPointer(index === undefined ? undefined : { index, ...at(event), pinned: false });
          }
        }}
        onSelect={(index, event) => {
          const samePinned = pointer?.pinned && pointer.index === index;
          setPointer(samePinned ? undefined : { index, ...at(event), pinned: true });
        }}
      />
      {showLegend && (
        <ScaleLegend scale={scale} format={format} emptyColor={hasEmptyCells ? scale.colorOf(null) : undefined} />
      )}
      {pointer && cell && place && (
        <CellTooltip
          title={cellTitle(place, locale)}
          cell={cell}
          valueText={valueText}
          sumText={activity.formatSum(cell.sum)}
          calculation={options.calculation}
          percentOfTotal={options.percentOfTotal}
          weeks={place.kind === 'slot' ? cell.days : undefined}
          links={cellLinks(activity.links, cellScopedVars(place, cell, valueText), replaceVariables)}
          pinned={pointer.pinned}
          x={pointer.x}
          y={pointer.y}
          width={width}
          height={height}
          onZoom={
            place.kind === 'day' && cell.occurrences > 0
              ? () => {
                  setPointer(undefined);
                  onChangeTimeRange({ from: cell.from, to: cell.to });
                }
              : undefined
          }
        />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ position: 'relative', overflow: 'hidden' }),
  message: css({
    display: 'flex',
    height: '100%',
    alignItems: 'center',
    justifyContent: 'center',
    color: theme.colors.text.secondary,
  }),
});
