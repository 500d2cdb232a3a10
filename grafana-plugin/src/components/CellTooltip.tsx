import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, LinkModel } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import { ActivityCell, Calculation } from '../fold';

interface Props {
  title: string;
  cell: ActivityCell;
  valueText: string;
  calculation: Calculation;
  percentOfTotal: boolean;
  /** Weeks for a weekday × hour cell (distinct days), otherwise undefined. */
  weeks?: number;
  sumText: string;
  links: LinkModel[];
  pinned: boolean;
  /** Pointer position inside the panel and the panel size, to keep the box inside. */
  x: number;
  y: number;
  width: number;
  height: number;
  onZoom?: () => void;
}

const CALCULATION_NAMES: Record<Calculation, string> = {
  total: 'total',
  mean: 'mean per occurrence',
  max: 'busiest occurrence',
  count: 'data points',
};

/** The panel's one tooltip: follows the pointer, or stays put with links once a cell is clicked. */
export function CellTooltip(props: Props) {
  const styles = useStyles2(getStyles);
  const { cell, weeks, links, pinned } = props;
  const left = props.x + 12 + 220 > props.width ? Math.max(0, props.x - 232) : props.x + 12;
  const top = Math.min(props.y + 12, Math.max(0, props.height - 90));
  const what = `${CALCULATION_NAMES[props.calculation]}${props.percentOfTotal ? ', % of all cells' : ''}`;

  return (
    <div
      className={styles.tooltip}
      style={{ left, top, pointerEvents: pinned ? 'auto' : 'none' }}
      role="tooltip"
      data-testid="activity-tooltip"
    >
      <div className={styles.title}>{props.title}</div>
      <div>
        <strong>{props.valueText}</strong> <span className={styles.muted}>{what}</span>
      </div>
      <div className={styles.muted}>
        {cell.occurrences === 0
          ? 'Not in the time range'
          : weeks !== undefined
            ? `${weeks} ${weeks === 1 ? 'week' : 'weeks'}${cell.occurrences !== weeks ? ` (${cell.occurrences} occurrences)` : ''} · total ${props.sumText}`
            : `total ${props.sumText}`}
      </div>
      {pinned && (links.length > 0 || props.onZoom) && (
        <div className={styles.links}>
          {links.map((link, i) => (
            <a key={i} href={link.href} target={link.target} rel="noreferrer" className={styles.link}>
              {link.title}
            </a>
          ))}
          {props.onZoom && (
            <button type="button" className={styles.link} onClick={props.onZoom}>
              Zoom to this day
            </button>
          )}
        </div>
      )}
      {!pinned && links.length > 0 && <div className={styles.muted}>Click for links</div>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({
    position: 'absolute',
    zIndex: theme.zIndex.tooltip,
    maxWidth: 220,
    padding: theme.spacing(0.75, 1),
    background: theme.components.tooltip.background,
    color: theme.components.tooltip.text,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: 2 }),
  muted: css({ opacity: 0.8 }),
  links: css({ display: 'flex', flexDirection: 'column', gap: 2, marginTop: theme.spacing(0.5) }),
  link: css({
    color: theme.colors.text.link,
    background: 'none',
    border: 'none',
    padding: 0,
    textAlign: 'left',
    cursor: 'pointer',
    fontSize: 'inherit',
  }),
});
