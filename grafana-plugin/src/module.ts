import { FieldConfigProperty, PanelPlugin, SelectableValue } from '@grafana/data';

import { ActivityPanel } from './components/ActivityPanel';
import { seriesLabels } from './fold';
import { migrateOptions } from './migration';
import { DEFAULT_COLOR } from './scale';
import { activitySuggestions } from './suggestions';
import { ActivityOptions, Calculation, FirstDay, Layout } from './types';

const FIRST_DAYS: Array<SelectableValue<FirstDay>> = [
  {
    value: 'auto',
    label: 'Dashboard / locale',
    description: "The dashboard's week start, else the user's, else the locale's",
  },
  { value: 1, label: 'Monday' },
  { value: 0, label: 'Sunday' },
  { value: 6, label: 'Saturday' },
  { value: 2, label: 'Tuesday' },
  { value: 3, label: 'Wednesday' },
  { value: 4, label: 'Thursday' },
  { value: 5, label: 'Friday' },
];

const TIME_ZONES: Array<SelectableValue<string>> = [
  { value: '', label: 'Dashboard time zone' },
  { value: 'browser', label: 'Browser time' },
  { value: 'utc', label: 'UTC' },
  { value: 'Europe/Madrid', label: 'Europe/Madrid' },
  { value: 'Europe/London', label: 'Europe/London' },
  { value: 'America/New_York', label: 'America/New_York' },
  { value: 'America/Mexico_City', label: 'America/Mexico_City' },
  { value: 'Asia/Kolkata', label: 'Asia/Kolkata' },
];

/** Calculations a layout offers: in day × hour each cell is one slot, so only total and count differ. */
export function calculationChoices(layout: Layout | undefined): Array<SelectableValue<Calculation>> {
  if (layout === 'dayHour') {
    return [
      { value: 'total', label: 'Total' },
      { value: 'count', label: 'Count', description: 'Data points' },
    ];
  }
  const per = layout === 'weekWeekday' ? 'hour of the day' : 'week';
  return [
    { value: 'mean', label: 'Mean', description: `Mean per ${per}; a quiet ${per} counts as zero` },
    { value: 'median', label: 'Median', description: `Median ${per}` },
    { value: 'min', label: 'Min', description: `Quietest ${per}` },
    { value: 'max', label: 'Max', description: `Busiest ${per}` },
    { value: 'total', label: 'Total', description: 'Sum over the range' },
    { value: 'count', label: 'Count', description: 'Data points' },
  ];
}

const LAYOUT = ['Layout'];
const TIME = ['Time'];
const DATA = ['Data'];
const COLOURS = ['Colours'];
const DISPLAY = ['Display'];
const hasSlots = (options: ActivityOptions) => options.layout !== 'weekWeekday';

export const plugin = new PanelPlugin<ActivityOptions>(ActivityPanel)
  .setMigrationHandler(migrateOptions)
  .setSuggestionsSupplier(activitySuggestions)
  .useFieldConfig({
    disableStandardOptions: [FieldConfigProperty.NoValue, FieldConfigProperty.Mappings, FieldConfigProperty.Filterable],
    standardOptions: {
      [FieldConfigProperty.Color]: {
        defaultValue: DEFAULT_COLOR,
        settings: { byValueSupport: true, bySeriesSupport: false, preferThresholdsMode: false },
      },
    },
  })
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'layout',
        name: 'Layout',
        category: LAYOUT,
        description:
          'Fold the range into one week of weekday × hour cells, lay out its calendar weeks, or unfold it into a row per day.',
        defaultValue: 'weekdayHour',
        settings: {
          options: [
            { value: 'weekdayHour', label: 'Weekday × hour' },
            { value: 'weekWeekday', label: 'Week × weekday' },
            { value: 'dayHour', label: 'Day × hour' },
          ],
        },
      })
      .addSelect({
        path: 'calculation',
        name: 'Calculation',
        category: LAYOUT,
        description:
          'Over the occurrences of each cell: the weeks of a weekday × hour slot, the hours of a week × weekday day. Mean divides by the occurrences in the range, not by data points.',
        defaultValue: 'mean',
        settings: {
          options: calculationChoices('weekdayHour'),
          getOptions: async (context) => calculationChoices(context.options?.layout),
        },
      })
      .addBooleanSwitch({
        path: 'percentOfTotal',
        name: 'Percent of total',
        category: LAYOUT,
        description: 'Show each cell as a share of all cells.',
        defaultValue: false,
      })
      .addRadio({
        path: 'slotMinutes',
        name: 'Column width',
        category: LAYOUT,
        defaultValue: 60,
        settings: {
          options: [
            { value: 60, label: '1 hour' },
            { value: 30, label: '30 min' },
            { value: 15, label: '15 min' },
          ],
        },
        showIf: hasSlots,
      })
      .addNumberInput({
        path: 'hourFrom',
        name: 'From hour',
        category: TIME,
        description: 'First hour of the day that is counted (0–23).',
        defaultValue: 0,
        settings: { min: 0, max: 23, integer: true },
      })
      .addNumberInput({
        path: 'hourTo',
        name: 'To hour',
        category: TIME,
        description: 'Hour the counted part of the day ends (1–24, exclusive).',
        defaultValue: 24,
        settings: { min: 1, max: 24, integer: true },
      })
      .addSelect({
        path: 'firstDay',
        name: 'First day of the week',
        category: TIME,
        description: "Follows the dashboard's week start, else the user's preference, else the viewer's locale.",
        defaultValue: 'auto' as FirstDay,
        settings: { options: FIRST_DAYS },
      })
      .addSelect({
        path: 'timeZone',
        name: 'Time zone',
        category: TIME,
        description: 'Zone the weeks are folded in. Any IANA name can be typed; empty follows the dashboard.',
        defaultValue: '',
        settings: { options: TIME_ZONES, allowCustomValue: true },
      })
      .addFieldNamePicker({
        path: 'valueField',
        name: 'Value field',
        category: DATA,
        description: 'Number field to fold; empty uses the first number field of each series (Value for InfluxQL).',
        defaultValue: '',
        settings: { filter: (field) => field.type === 'number', noFieldsMessage: 'No number fields found' },
      })
      .addSelect({
        path: 'seriesLabel',
        name: 'Series',
        category: DATA,
        description: 'Sum all series, or show the one whose label has the value chosen below.',
        defaultValue: '',
        settings: {
          options: [{ value: '', label: 'All series (sum)' }],
          allowCustomValue: true,
          getOptions: async (context) => [
            { value: '', label: 'All series (sum)' },
            ...[...seriesLabels(context.data).keys()].map((label) => ({ value: label, label: `Pick by ${label}` })),
          ],
        },
      })
      .addSelect({
        path: 'seriesLabelValue',
        name: 'Series label value',
        category: DATA,
        defaultValue: '',
        settings: {
          options: [],
          allowCustomValue: true,
          getOptions: async (context) =>
            [...(seriesLabels(context.data).get(context.options?.seriesLabel) ?? [])].map((value) => ({
              value,
              label: value,
            })),
        },
        showIf: (options) => Boolean(options.seriesLabel),
      })
      .addRadio({
        path: 'colorScale',
        name: 'Colour scale',
        category: COLOURS,
        description:
          'Square root and log give quiet cells more of the colours; percentile caps the scale so one busy hour does not pale the rest. Min and Max under Standard options override the ends.',
        defaultValue: 'linear',
        settings: {
          options: [
            { value: 'linear', label: 'Linear' },
            { value: 'sqrt', label: 'Square root' },
            { value: 'log', label: 'Log' },
            { value: 'percentile', label: 'Percentile cap' },
          ],
        },
      })
      .addSliderInput({
        path: 'colorPercentile',
        name: 'Cap at percentile',
        category: COLOURS,
        description: 'Cells above this percentile of the non-zero cell values take the strongest colour.',
        defaultValue: 95,
        settings: { min: 50, max: 100, step: 1 },
        showIf: (options) => options.colorScale === 'percentile',
      })
      .addBooleanSwitch({
        path: 'reverseColors',
        name: 'Reverse colours',
        category: COLOURS,
        description: 'Strongest colour for the lowest values.',
        defaultValue: false,
      })
      .addNumberInput({
        path: 'hideAtOrBelow',
        name: 'Hide cells at or below',
        category: COLOURS,
        description: 'Cells with this value or less are drawn empty. Zero cells are otherwise drawn in a neutral grey.',
        settings: { placeholder: 'Show all' },
      })
      .addColorPicker({
        path: 'emptyColor',
        name: 'Empty colour',
        category: COLOURS,
        description:
          'Cells with no slot in the range (the missing spring hour, days outside the range) and hidden cells.',
        defaultValue: 'transparent',
      })
      .addBooleanSwitch({
        path: 'showValues',
        name: 'Show values',
        category: DISPLAY,
        description: 'Write values in the cells when they fit.',
        defaultValue: false,
      })
      .addBooleanSwitch({
        path: 'showLegend',
        name: 'Show legend',
        category: DISPLAY,
        defaultValue: true,
      })
      .addBooleanSwitch({
        path: 'highlightNow',
        name: 'Highlight now',
        category: DISPLAY,
        description: 'Outline the cell of the current weekday and hour (today, in the calendar layouts).',
        defaultValue: false,
      })
  );
