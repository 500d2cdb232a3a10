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

const { applyFieldOverrides, createTheme, dateTime, EventBusSrv, FieldType, ThemeContext } = grafanaData;

/**
 * Grafana core fills the option editor registries at start-up (public/app/core/components/OptionsUI);
 * plugins only name the editors. The page renders panels, not editors, so each editor is a stub, but
 * ids, processors and defaults are core's.
 */
function registerCoreEditors() {
  const NoEditor = () => null;
  const editor = (id: string) => ({ id, name: id, editor: NoEditor });
  grafanaData.standardEditorsRegistry.setInit(() =>
    ['text', 'number', 'slider', 'boolean', 'radio', 'select', 'multi-select', 'color', 'field-name', 'unit', 'links'].map(editor)
  );
  const any = () => true;
  const numbers = (field: grafanaData.Field) => field.type === FieldType.number;
  const field = (id: string, process: any, extra: object = {}) => ({
    ...editor(id),
    path: id,
    override: NoEditor,
    process,
    shouldApply: any,
    ...extra,
  });
  grafanaData.standardFieldConfigEditorRegistry.setInit(() => [
    field('displayName', grafanaData.displayNameOverrideProcessor),
    field('unit', grafanaData.unitOverrideProcessor, { shouldApply: numbers }),
    field('fieldMinMax', grafanaData.booleanOverrideProcessor, { shouldApply: numbers }),
    field('min', grafanaData.numberOverrideProcessor, { shouldApply: numbers }),
    field('max', grafanaData.numberOverrideProcessor, { shouldApply: numbers }),
    field('decimals', grafanaData.numberOverrideProcessor, { shouldApply: numbers }),
    field('thresholds', grafanaData.thresholdsOverrideProcessor, {
      defaultValue: {
        mode: grafanaData.ThresholdsMode.Absolute,
        steps: [
          { value: -Infinity, color: 'green' },
          { value: 80, color: 'red' },
        ],
      },
    }),
    field('mappings', grafanaData.valueMappingsOverrideProcessor, { defaultValue: [] }),
    field('noValue', grafanaData.stringOverrideProcessor),
    field('links', grafanaData.dataLinksOverrideProcessor),
    field('actions', grafanaData.identityOverrideProcessor),
    field('color', grafanaData.identityOverrideProcessor, { defaultValue: { mode: 'thresholds' } }),
    field('filterable', grafanaData.booleanOverrideProcessor, { hideFromDefaults: true }),
  ]);
}
registerCoreEditors();

export const modules: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
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
  const series = applyFieldOverrides({
    data: scenario.frames.map((frame) => ({ ...frame, length: frame.fields[0]?.values.length ?? 0 })),
    fieldConfig,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables,
    theme,
    timeZone: scenario.timeZone,
  });
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
}
