import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { FieldType, GrafanaTheme2, PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';

import { cellIndexAt } from '../fold';
import { ActivityOptions } from '../types';
import { labelLengths } from './axisLabels';
import { cellDescription, cellLinks, cellPlace, cellScopedVars, cellTitle, effectiveCalculation } from './cellInfo';
import { CellTooltip } from './CellTooltip';
import { gridGeometry } from './geometry';
import { HeatGrid } from './HeatGrid';
import { userLocale } from './labels';
import { ScaleLegend } from './ScaleLegend';
import { useActivity } from './useActivity';

const LEGEND_HEIGHT = 24;
/** How often the "now" outline moves on: often enough for 15-minute columns. */
const NOW_TICK_MS = 60_000;

interface Pointer {
  index: number;
  /** What the tooltip points at, inside the panel: the pointer, or the cell for the keyboard. */
  anchor: { x: number; y: number; width: number; height: number };
  pinned: boolean;
}

export function ActivityPanel(props: PanelProps<ActivityOptions>) {
  const { options, width, height, replaceVariables, onChangeTimeRange, data, fieldConfig, id } = props;
  const styles = useStyles2(getStyles);
  const locale = useMemo(() => userLocale(), []);
  const { activity, error } = useActivity(props);
  const [pointer, setPointer] = useState<Pointer>();
  const [focused, setFocused] = useState(0);
  const now = useNow(options.highlightNow);

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
      columnsPerLabel: grid.layout === 'weekWeekday' ? 1 : 60 / grid.slotMinutes,
      valueChars: Math.max(format(activity.scale.min).length, format(activity.scale.max).length),
    });
  }, [activity, width, gridHeight, locale]);

  const calculation = effectiveCalculation(options.calculation, options.layout);
  const describe = useCallback(
    (index: number) => {
      if (!activity) {
        return '';
      }
      const cell = activity.grid.cells[index];
      const place = cellPlace(activity.grid, cell);
      return cellDescription(
        place,
        cell,
        activity.format(cell.value),
        calculation,
        activity.grid.layout,
        locale,
        activity.noun
      );
    },
    [activity, calculation, locale]
  );

  useEffect(() => {
    const unpin = (event: KeyboardEvent) => event.key === 'Escape' && setPointer(undefined);
    window.addEventListener('keydown', unpin);
    return () => window.removeEventListener('keydown', unpin);
  }, []);

  if (error) {
    return <div className={styles.message}>{error}</div>;
  }
  if (!activity || !geometry || activity.grid.points === 0) {
    // Grafana's own view says "No data" (or what the frames lack), like core panels.
    // Frames with times and numbers but none inside the range: say that rather than "Cannot visualize data".
    const readable = data.series.some(
      (frame) =>
        frame.length > 0 &&
        frame.fields.some((field) => field.type === FieldType.time) &&
        frame.fields.some((field) => field.type === FieldType.number)
    );
    return (
      <PanelDataErrorView
        panelId={id}
        data={data}
        fieldConfig={fieldConfig}
        needsTimeField
        needsNumberField
        message={readable && activity ? 'No data in the time range' : undefined}
      />
    );
  }

  const { grid, scale, format } = activity;
  const cellBox = (index: number) => ({
    x: geometry.left + grid.cells[index].col * geometry.cellWidth,
    y: geometry.top + grid.cells[index].row * geometry.cellHeight,
    width: geometry.cellWidth,
    height: geometry.cellHeight,
  });
  const at = (event: React.MouseEvent) => {
    const box = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top, width: 0, height: 0 };
  };
  const cell = pointer ? grid.cells[pointer.index] : undefined;
  const place = cell && cellPlace(grid, cell);
  const valueText = cell ? format(cell.value) : '';
  const hasEmptyCells = grid.cells.some((c) => c.value === null || scale.isHidden(c.value));
  const hasZeroCells = grid.cells.some((c) => c.value === 0 && !scale.isHidden(0));
  const nowIndex = now === undefined ? undefined : cellIndexAt(grid, now);
  const middle =
    scale.legend.kind === 'gradient' && (options.colorScale === 'sqrt' || options.colorScale === 'log') && width >= 400
      ? scale.legend.stops[Math.floor(scale.legend.stops.length / 2)].value
      : undefined;

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
        describe={describe}
        showValues={options.showValues}
        highlighted={pointer?.index}
        now={nowIndex}
        focusable={Math.min(focused, grid.cells.length - 1)}
        onPointer={(index, event) => {
          if (!pointer?.pinned) {
            setPointer(index === undefined ? undefined : { index, anchor: at(event), pinned: false });
          }
        }}
        onSelect={(index, event) => {
          const samePinned = pointer?.pinned && pointer.index === index;
          const anchor = 'clientX' in event ? at(event) : cellBox(index);
          setPointer(samePinned ? undefined : { index, anchor, pinned: true });
        }}
        onFocusCell={(index) => {
          if (index === undefined) {
            setPointer((current) => (current?.pinned ? current : undefined));
            return;
          }
          setFocused(index);
          setPointer({ index, anchor: cellBox(index), pinned: false });
        }}
      />
      {showLegend && (
        <ScaleLegend
          scale={scale}
          format={format}
          title={activity.legendTitle}
          emptyColor={hasEmptyCells ? scale.colorOf(null) : undefined}
          showZero={hasZeroCells}
          middle={middle}
        />
      )}
      {pointer && cell && place && (
        <CellTooltip
          title={cellTitle(place, locale)}
          cell={cell}
          valueText={valueText}
          what={activity.what}
          sumText={activity.formatSum(cell.sum)}
          weeks={grid.layout === 'weekdayHour' ? cell.days : undefined}
          links={cellLinks(activity.links, cellScopedVars(place, cell, valueText), replaceVariables)}
          pinned={pointer.pinned}
          anchor={pointer.anchor}
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

/** The current instant while the "now" outline is on (re-rendered every minute); undefined when off. */
function useNow(enabled: boolean): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) {
      return;
    }
    // The first tick comes at once, so that turning the option on shows the current hour.
    let timer = 0;
    const tick = () => {
      setNow(Date.now());
      timer = window.setTimeout(tick, NOW_TICK_MS);
    };
    timer = window.setTimeout(tick, 0);
    return () => window.clearTimeout(timer);
  }, [enabled]);
  return enabled ? now : undefined;
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
