import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import { ColorScale } from '../scale';

interface Props {
  scale: ColorScale;
  format: (value: number | null) => string;
  /** What the colours show: the calculation and what is counted ("mean per week, starts"). */
  title: string;
  /** Shown as a swatch when some cells have no slot in the range (or are hidden). */
  emptyColor?: string;
  /** Shown as a "0" swatch when some cells are exactly zero. */
  showZero: boolean;
  /** Value in the middle of the gradient, for scales that are not linear. */
  middle?: number;
}

/** The colour scale: what it shows, then a gradient between min and max, or one swatch per threshold step. */
export function ScaleLegend({ scale, format, title, emptyColor, showZero, middle }: Props) {
  const styles = useStyles2(getStyles);
  const { kind, stops } = scale.legend;
  return (
    <div className={styles.legend} data-testid="activity-legend">
      <span className={styles.title} title={title} data-testid="activity-legend-title">
        {title}
      </span>
      {emptyColor && (
        <span className={styles.swatch} style={{ background: emptyColor }} title="No slot in the range, or hidden" />
      )}
      {showZero && (
        <span className={styles.step}>
          <span className={styles.swatch} style={{ background: scale.zeroColor }} data-testid="activity-legend-zero" />
          <span className={styles.value}>0</span>
        </span>
      )}
      {kind === 'gradient' ? (
        <>
          {/* After the "0" swatch, a 0 at the gradient's start would only repeat it. */}
          {!(showZero && scale.min === 0) && <span className={styles.value}>{format(scale.min)}</span>}
          <span className={styles.gradientBox}>
            <span
              className={styles.gradient}
              style={{ background: `linear-gradient(to right, ${stops.map((stop) => stop.color).join(', ')})` }}
            />
            {middle !== undefined && <span className={styles.middle}>{format(middle)}</span>}
          </span>
          <span className={styles.value}>
            {scale.capped ? '≥ ' : ''}
            {format(scale.max)}
          </span>
        </>
      ) : (
        stops.map((stop, i) => (
          <span key={i} className={styles.step}>
            <span className={styles.swatch} style={{ background: stop.color }} />
            <span className={styles.value}>{format(stop.value)}</span>
          </span>
        ))
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    height: 20,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
  }),
  title: css({ flex: '0 1 auto', minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }),
  gradientBox: css({ flex: '0 1 160px', minWidth: 40, position: 'relative', display: 'flex', alignItems: 'center' }),
  gradient: css({ flex: 1, height: 8, borderRadius: theme.shape.radius.default }),
  middle: css({
    position: 'absolute',
    left: '50%',
    transform: 'translateX(-50%)',
    fontSize: 9,
    lineHeight: 1,
    padding: '0 2px',
    borderRadius: 2,
    background: theme.colors.background.primary,
  }),
  step: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  swatch: css({
    display: 'inline-block',
    flex: 'none',
    width: 10,
    height: 10,
    borderRadius: 2,
    border: `1px solid ${theme.colors.border.weak}`,
  }),
  value: css({ fontVariantNumeric: 'tabular-nums', flex: 'none' }),
});
