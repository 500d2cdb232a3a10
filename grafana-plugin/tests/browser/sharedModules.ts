/**
 * What Grafana provides to plugins at run time (react, @grafana/*, @emotion/css, lodash …), bundled for
 * the test page, plus a harness that renders a panel plugin the way a dashboard does: options and field
 * config defaults from the plugin, field config applied to the frames, a theme in ThemeContext.
 */
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as lodash from 'lodash';
import * as moment from 'moment';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot, Root } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';

import { registerCoreEditors } from '../../src/testing/coreEditors';
import { CorePanelDataErrorView } from '../../src/testing/panelDataErrorView';

const { applyFieldOverrides, createTheme, dateTime, EventBusSrv, ThemeContext } = grafanaData;

registerCoreEditors();

export const modules: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  // Grafana's runtime carries core's PanelDataErrorView (set at start-up); the npm package a placeholder.
  '@grafana/runtime': { ...grafanaRuntime, PanelDataErrorView: CorePanelDataErrorView },
  '@emotion/css': emotionCss,
  lodash,
  moment,
};

export interface Scenario {
  theme: 'light' | 'dark';
  width: number;
  height: number;
  timeZone: string;
  from: number;
  to: number;
  options: Record<string, unknown>;
  fieldConfig: grafanaData.FieldConfig;
  frames: grafanaData.DataFrame[];
  /** The dashboard's week start, applied as @grafana/scenes' SceneTimeRange does (setWeekStart). */
  weekStart?: string;
}

/** A light 900 × 360 panel in Europe/Madrid with the plugin's default options: what the timed renders draw. */
export function timedScenario(frames: grafanaData.DataFrame[], from: number, to: number): Scenario {
  return {
    theme: 'light',
    width: 900,
    height: 360,
    timeZone: 'Europe/Madrid',
    from,
    to,
    options: {},
    fieldConfig: {},
    frames,
  };
}

/** Stand-in for Grafana's template service: ${name} and ${name.path} from scoped variables. */
function replaceVariables(text: string, scopedVars: grafanaData.ScopedVars = {}): string {
  return text.replace(/\$\{(\w+)((?:\.\w+)*)(?::\w+)?\}/g, (match, name: string, path: string) => {
    let value = scopedVars[name]?.value;
    for (const key of path.split('.').filter(Boolean)) {
      value = value?.[key];
    }
    return value === undefined ? match : String(value);
  });
}

let root: Root | undefined;

export function render(plugin: grafanaData.PanelPlugin, scenario: Scenario) {
  const theme = createTheme({ colors: { mode: scenario.theme } });
  const fieldConfig = {
    defaults: { ...plugin.fieldConfigDefaults.defaults, ...scenario.fieldConfig },
    overrides: [],
  };
  const timeRange = {
    from: dateTime(scenario.from),
    to: dateTime(scenario.to),
    raw: { from: dateTime(scenario.from), to: dateTime(scenario.to) },
  };
  if (scenario.weekStart) {
    grafanaData.setWeekStart(scenario.weekStart);
  } else {
    grafanaData.setLocale('en'); // moment's own default: no week start set
  }
  const started = performance.now();
  const series = applyFieldOverrides({
    data: scenario.frames.map((frame) => ({ ...frame, length: frame.fields[0]?.values.length ?? 0 })),
    fieldConfig,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables,
    theme,
    timeZone: scenario.timeZone,
  });
  // What Grafana spends before the panel gets its props, told apart from the panel's own time.
  const fieldOverridesMs = performance.now() - started;
  const timeRangeChanges: unknown[] = [];
  (window as any).timeRangeChanges = timeRangeChanges;
  const props = {
    id: 1,
    title: 'Activity',
    data: { state: grafanaData.LoadingState.Done, series, timeRange },
    timeRange,
    timeZone: scenario.timeZone,
    options: { ...plugin.defaults, ...scenario.options },
    fieldConfig,
    width: scenario.width,
    height: scenario.height,
    transparent: false,
    renderCounter: 0,
    eventBus: new EventBusSrv(),
    replaceVariables,
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    onChangeTimeRange: (range: unknown) => timeRangeChanges.push(range),
  };

  document.body.style.margin = '0';
  document.body.style.background = theme.colors.background.primary;
  document.body.style.color = theme.colors.text.primary;
  document.body.style.fontFamily = theme.typography.fontFamily;
  root?.unmount();
  root = createRoot(document.getElementById('root')!);
  const Panel = plugin.panel as React.ComponentType<any>;
  root.render(
    React.createElement(
      ThemeContext.Provider,
      { value: theme },
      React.createElement(
        'div',
        { id: 'panel', style: { width: scenario.width, height: scenario.height } },
        React.createElement(Panel, props)
      )
    )
  );
  return { fieldOverridesMs };
}
