import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import { ColorScale } from '../scale';

interface Props {
  scale: ColorScale;
  format: (value: number | null) => string;
  /** Shown as a swatch when some cells have no slot in the range. */
  emptyColor?: string;
}

/** The colour scale: a gradient between min and max, or one swatch per threshold step. */
export function ScaleLegend({ scale, format, emptyColor }: Props) {
  const styles = useStyles2(getStyles);
  const { kind, stops } = scale.legend;
  return (
    <div className={styles.legend} data-testid="activity-legend">
      {emptyColor && <span className={styles.swatch} style={{ background: emptyColor }} title="No slot in the range" />}
      {kind === 'gradient' ? (
        <>
          <span className={styles.value}>{format(scale.min)}</span>
          <span
            className={styles.gradient}
            style={{ background: `linear-gradient(to right, ${stops.map((stop) => stop.color).join(', ')})` }}
          />
          <span className={styles.value}>{format(scale.max)}</span>
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
  gradient: css({ flex: '0 1 160px', minWidth: 40, height: 8, borderRadius: theme.shape.radius.default }),
  step: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  swatch: css({
    display: 'inline-block',
    width: 10,
    height: 10,
    borderRadius: 2,
    border: `1px solid ${theme.colors.border.weak}`,
  }),
  value: css({ fontVariantNumeric: 'tabular-nums' }),
});
