import { DataFrame, FieldType, VisualizationSuggestion, VisualizationSuggestionScore } from '@grafana/data';

import { ActivityOptions } from './types';

const DAY = 86_400_000;
/** A series shorter than this folds into a mostly empty week: not worth suggesting. */
const LONG_SERIES_DAYS = 7;

/**
 * The parts of Grafana's data summary read here, in both its shapes: 12.3's (the builder's
 * `dataSummary`, frames in `builder.data.series`) and 12.4's (`rawFrames`). Typed here rather than
 * as @grafana/data's PanelDataSummary, whose members differ between those releases.
 */
export interface SummaryLike {
  hasTimeField?: boolean;
  hasNumberField?: boolean;
  rowCountMax: number;
  isInstant?: boolean;
  rawFrames?: DataFrame[];
}

/**
 * Suggested in the panel editor's visualization suggestions when the data is a long time series
 * (a week or more between its first and last time): a weekday × hour heat map of it.
 */
export function suggestionsFor(summary: SummaryLike): Array<VisualizationSuggestion<ActivityOptions>> {
  if (!summary.hasTimeField || !summary.hasNumberField || summary.isInstant) {
    return [];
  }
  if (timeSpan(summary) < LONG_SERIES_DAYS * DAY) {
    return [];
  }
  return [
    {
      name: 'Activity by weekday × hour',
      description: 'When in the week it happens: the range folded into weekday × hour cells',
      options: { layout: 'weekdayHour', calculation: 'mean' },
      score: VisualizationSuggestionScore.Good,
      cardOptions: {
        previewModifier: (suggestion) => {
          suggestion.options = { ...suggestion.options, showLegend: false };
        },
      },
    },
  ];
}

function timeSpan(summary: SummaryLike): number {
  let first = Infinity;
  let last = -Infinity;
  for (const frame of summary.rawFrames ?? []) {
    const time = frame.fields.find((field) => field.type === FieldType.time);
    for (const value of time?.values ?? []) {
      const t = typeof value === 'number' ? value : Date.parse(String(value));
      if (Number.isFinite(t)) {
        first = Math.min(first, t);
        last = Math.max(last, t);
      }
    }
  }
  // Without the frames, a week of hourly points is the best guess at "long".
  return Number.isFinite(first) ? last - first : summary.rowCountMax >= LONG_SERIES_DAYS * 24 ? Infinity : 0;
}

interface BuilderLike {
  data?: { series: DataFrame[] };
  dataSummary: SummaryLike;
  getListAppender: (defaults: { name: string; pluginId: string; options: object }) => {
    append: (suggestion: VisualizationSuggestion<ActivityOptions>) => void;
  };
}

/**
 * The supplier in both shapes Grafana uses: a function of the data summary (12.4 and later, whose
 * PanelPlugin.setSuggestionsSupplier ignores anything else), carrying getSuggestionsForData for the
 * builder that 12.3 calls. tests/compat checks both against those releases' PanelPlugin.
 */
export const activitySuggestions = Object.assign((summary: SummaryLike) => suggestionsFor(summary), {
  getSuggestionsForData(builder: BuilderLike) {
    const appender = builder.getListAppender({ name: '', pluginId: 'kibotics-activity-panel', options: {} });
    // Read field by field: some releases define the summary's members as getters, which a spread drops.
    const given = builder.dataSummary;
    const summary: SummaryLike = {
      hasTimeField: given.hasTimeField,
      hasNumberField: given.hasNumberField,
      rowCountMax: given.rowCountMax,
      isInstant: given.isInstant,
      rawFrames: given.rawFrames ?? builder.data?.series,
    };
    for (const suggestion of suggestionsFor(summary)) {
      appender.append(suggestion);
    }
  },
});
