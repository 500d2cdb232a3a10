import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import {
  createDataFrame,
  dateTime,
  EventBusSrv,
  FieldConfigSource,
  FieldType,
  LoadingState,
  PanelProps,
  setLocale,
  setWeekStart,
} from '@grafana/data';

import { plugin } from '../module';
import { registerCoreEditors } from '../testing/coreEditors';
import { ActivityOptions } from '../types';
import { ActivityPanel } from './ActivityPanel';

const at = (iso: string) => Date.parse(iso);
const QUARTER = 15 * 60_000;

// The panel as a user adds it: the defaults module.ts declares (module.test.ts spells them out).
registerCoreEditors();
// Grafana's runtime carries core's PanelDataErrorView; the npm package only a placeholder.
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  PanelDataErrorView: jest.requireActual('../testing/panelDataErrorView').CorePanelDataErrorView,
}));
// Monday first: "auto" would follow jsdom's en-US locale (Sunday); a test below covers auto.
const options = { ...plugin.defaults, firstDay: 1 } as ActivityOptions;

// Two weeks from Monday 1 January 2024 (UTC); an hour of activity each Tuesday at 10:00.
const tuesdays = [at('2024-01-02T10:00:00Z'), at('2024-01-09T10:00:00Z')].flatMap((t) =>
  [0, 1, 2, 3].map((q) => t + q * QUARTER)
);
const frame = createDataFrame({
  fields: [
    { name: 'Time', type: FieldType.time, values: tuesdays },
    { name: 'Value', type: FieldType.number, values: tuesdays.map(() => 5), labels: { exercise: 'maze' } },
  ],
});

function renderPanel(overrides: Partial<ActivityOptions> = {}, props: Partial<PanelProps<ActivityOptions>> = {}) {
  const fieldConfig: FieldConfigSource = {
    defaults: {
      links: [{ title: 'Open ${__cell.weekday} ${__cell.hour}h', url: '/d/x?from=${__cell.from}&to=${__cell.to}' }],
    },
    overrides: [],
  };
  const timeRange = {
    from: dateTime(at('2024-01-01T00:00:00Z')),
    to: dateTime(at('2024-01-15T00:00:00Z')),
    raw: { from: 'now-14d', to: 'now' },
  };
  const onChangeTimeRange = jest.fn();
  const all: PanelProps<ActivityOptions> = {
    id: 1,
    title: 'Activity',
    data: { state: LoadingState.Done, series: [frame], timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...options, ...overrides },
    fieldConfig,
    width: 800,
    height: 300,
    transparent: false,
    renderCounter: 0,
    eventBus: new EventBusSrv(),
    // Grafana's template service, reduced to the scoped variables a cell link uses.
    replaceVariables: (text, vars) =>
      text.replace(/\$\{(\w+)\.(\w+)\}/g, (_, name, key) => String(vars?.[name]?.value?.[key])),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    onChangeTimeRange,
    ...props,
  };
  const view = render(<ActivityPanel {...all} />);
  return { ...view, onChangeTimeRange };
}

const cell = (container: HTMLElement, row: number, col: number) =>
  container.querySelector(`rect[data-row="${row}"][data-col="${col}"]`)!;

describe('ActivityPanel', () => {
  it('draws one rect per weekday × hour slot with the mean in data-value', () => {
    const { container } = renderPanel();
    expect(container.querySelectorAll('rect[data-index]')).toHaveLength(7 * 24);
    expect(cell(container, 1, 10).getAttribute('data-value')).toBe('20'); // 4 × 5 per Tuesday, 2 Tuesdays
    expect(cell(container, 1, 11).getAttribute('data-value')).toBe('0');
    expect(screen.getByText('Monday')).toBeInTheDocument();
    expect(screen.getByTestId('activity-legend')).toHaveTextContent('mean per week');
    expect(screen.getByTestId('activity-legend')).toHaveTextContent('020');
  });

  it('lays out calendar weeks and writes values in the cells', () => {
    const { container } = renderPanel({ layout: 'weekWeekday', calculation: 'total', showValues: true });
    expect(container.querySelectorAll('rect[data-index]')).toHaveLength(2 * 7);
    expect(cell(container, 1, 1).getAttribute('data-value')).toBe('20');
    expect(container.querySelectorAll('svg text')).toHaveLength(7 + 2 + 14);
    expect(screen.getByTestId('activity-legend-title')).toHaveTextContent('total per day');
  });

  it('shows one tooltip for the cell under the pointer, and pins it with the links on click', () => {
    const { container } = renderPanel();
    fireEvent.mouseMove(cell(container, 1, 10));
    const tooltip = screen.getByTestId('activity-tooltip');
    expect(tooltip).toHaveTextContent(/Tuesday 10:00\sAM–11:00\sAM/);
    expect(tooltip).toHaveTextContent('2 weeks · total 40');
    expect(screen.queryByRole('link')).toBeNull();

    fireEvent.click(cell(container, 1, 10));
    expect(screen.getByRole('link')).toHaveAttribute(
      'href',
      `/d/x?from=${at('2024-01-02T10:00:00Z')}&to=${at('2024-01-09T11:00:00Z')}`
    );
    expect(screen.getByRole('link')).toHaveTextContent('Open 2 10h');
    fireEvent.mouseMove(cell(container, 3, 3));
    expect(screen.getAllByTestId('activity-tooltip')).toHaveLength(1);
    expect(screen.getByTestId('activity-tooltip')).toHaveTextContent('Tuesday');
  });

  it('zooms the dashboard to a day of the week × weekday layout', () => {
    const { container, onChangeTimeRange } = renderPanel({ layout: 'weekWeekday' });
    fireEvent.click(cell(container, 0, 1));
    fireEvent.click(screen.getByRole('button', { name: 'Zoom to this day' }));
    expect(onChangeTimeRange).toHaveBeenCalledWith({
      from: at('2024-01-02T00:00:00Z'),
      to: at('2024-01-03T00:00:00Z'),
    });
  });

  it('shows shares of the total in percent', () => {
    const { container } = renderPanel({ percentOfTotal: true });
    expect(cell(container, 1, 10).getAttribute('data-value')).toBe('100');
    fireEvent.mouseMove(cell(container, 1, 10));
    expect(screen.getByTestId('activity-tooltip')).toHaveTextContent('100%');
  });

  it('says so when there is no data or the time zone is unknown', () => {
    const { unmount } = renderPanel(
      {},
      { data: { state: LoadingState.Done, series: [], timeRange: undefined as never } }
    );
    expect(screen.getByText('No data')).toBeInTheDocument();
    unmount();
    const outside = renderPanel(
      {},
      { timeRange: { from: dateTime(0), to: dateTime(86_400_000), raw: { from: '', to: '' } } }
    );
    expect(screen.getByText('No data in the time range')).toBeInTheDocument();
    outside.unmount();
    renderPanel({ timeZone: 'Mars/Olympus_Mons' });
    expect(screen.getByText('Unknown time zone "Mars/Olympus_Mons"')).toBeInTheDocument();
  });

  it('drops the labels and the legend in a tiny panel', () => {
    const { container } = renderPanel({}, { width: 110, height: 100 });
    expect(container.querySelectorAll('svg text')).toHaveLength(0);
    expect(screen.queryByTestId('activity-legend')).toBeNull();
  });

  it('gives every cell an accessible name and moves between cells with the arrow keys', () => {
    const links = [{ title: 'Open', url: '/d/x?from=${__cell.from}' }];
    const { container } = renderPanel(
      {},
      { fieldConfig: { defaults: { displayName: 'starts', links }, overrides: [] } }
    );
    expect(screen.getByRole('grid')).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(7);
    const tuesdayTen = cell(container, 1, 10);
    expect(tuesdayTen).toHaveAttribute('aria-label', 'Tuesday 10:00 AM–11:00 AM: 20 starts, mean of 2 weeks');
    expect(container.querySelectorAll('rect[tabindex="0"]')).toHaveLength(1);
    act(() => (tuesdayTen as SVGElement).focus());
    fireEvent.focus(tuesdayTen);
    expect(screen.getByTestId('activity-tooltip')).toHaveTextContent('Tuesday 10:00');
    fireEvent.keyDown(tuesdayTen, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(cell(container, 1, 11));
    expect(cell(container, 1, 11)).toHaveAttribute('tabindex', '0');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(cell(container, 0, 11));
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(screen.getByRole('link')).toBeInTheDocument();
    expect(screen.getByTestId('activity-legend-title')).toHaveTextContent('mean per week, starts');
  });

  it('draws zero cells apart from low ones, with a "0" swatch, and hides cells at or below a value', () => {
    const { container, unmount } = renderPanel();
    const zero = cell(container, 1, 11).getAttribute('fill');
    expect(zero).not.toBe(cell(container, 1, 10).getAttribute('fill'));
    expect(screen.getByTestId('activity-legend-zero')).toBeInTheDocument();
    unmount();
    const hidden = renderPanel({ hideAtOrBelow: 0 });
    expect(cell(hidden.container, 1, 11)).toHaveAttribute('data-hidden');
    expect(cell(hidden.container, 1, 10)).not.toHaveAttribute('data-hidden');
    expect(screen.queryByTestId('activity-legend-zero')).toBeNull();
  });

  it('outlines the cell of the current weekday and hour when asked', () => {
    jest.useFakeTimers({ now: at('2024-01-09T10:30:00Z'), doNotFake: ['queueMicrotask'] });
    try {
      const { container } = renderPanel({ highlightNow: true });
      const outline = screen.getByTestId('activity-now');
      const target = cell(container, 1, 10);
      expect(outline.getAttribute('x')).toBe(target.getAttribute('x'));
      expect(outline.getAttribute('y')).toBe(target.getAttribute('y'));
    } finally {
      jest.useRealTimers();
    }
  });

  it('starts the week as the dashboard says when "auto", else as the locale does', () => {
    const { container, unmount } = renderPanel({ firstDay: 'auto' });
    // jsdom speaks en-US: Sunday first.
    expect(container.querySelector('svg text')).toHaveTextContent('Sunday');
    unmount();
    setWeekStart('monday'); // what Grafana does with a dashboard's weekStart
    try {
      const monday = renderPanel({ firstDay: 'auto' });
      expect(monday.container.querySelector('svg text')).toHaveTextContent('Monday');
      monday.unmount();
      setWeekStart('saturday');
      const saturday = renderPanel({ firstDay: 'auto' });
      expect(saturday.container.querySelector('svg text')).toHaveTextContent('Saturday');
    } finally {
      setLocale('en');
    }
  });

  it('unfolds into a row per day with the day × hour layout', () => {
    const { container } = renderPanel({ layout: 'dayHour', calculation: 'mean' });
    expect(container.querySelectorAll('rect[data-index]')).toHaveLength(14 * 24);
    expect(cell(container, 1, 10).getAttribute('data-value')).toBe('20');
    expect(screen.getByTestId('activity-legend-title')).toHaveTextContent(/^total$/);
    expect(cell(container, 1, 10)).toHaveAttribute('aria-label', 'Tuesday, January 2, 2024 10:00 AM–11:00 AM: 20');
  });
});
