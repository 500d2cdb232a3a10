import React, { useLayoutEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, LinkModel } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import { ActivityCell } from '../fold';
import { placeTooltip } from './placement';

interface Props {
  title: string;
  cell: ActivityCell;
  valueText: string;
  /** What the value is: "mean per week", "busiest hour, % of all cells"… */
  what: string;
  /** Weeks for a weekday × hour cell (distinct days), otherwise undefined. */
  weeks?: number;
  sumText: string;
  links: LinkModel[];
  pinned: boolean;
  /** What the tooltip points at (the pointer, or a cell reached with the keyboard), inside the panel. */
  anchor: { x: number; y: number; width: number; height: number };
  /** Panel size: the tooltip is measured and placed inside it. */
  width: number;
  height: number;
  onZoom?: () => void;
}

/** The panel's one tooltip: follows the pointer, or stays put with links once a cell is clicked. */
export function CellTooltip(props: Props) {
  const styles = useStyles2(getStyles);
  const { cell, weeks, links, pinned, anchor, width, height } = props;
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number }>();

  // Measured whenever what it holds changes: the content (links, long titles) decides the size, not a guess.
  const content = [
    props.title,
    props.valueText,
    props.what,
    props.sumText,
    links.length,
    pinned,
    Boolean(props.onZoom),
  ];
  useLayoutEffect(() => {
    const node = box.current;
    if (node && (node.offsetWidth !== size?.width || node.offsetHeight !== size?.height)) {
      setSize({ width: node.offsetWidth, height: node.offsetHeight });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the content list stands for what decides the size
  }, [...content, width, height, size?.width, size?.height]);
  const place = size ? placeTooltip(anchor, size, { width, height }) : { left: 0, top: 0 };

  return (
    <div
      ref={box}
      className={styles.tooltip}
      style={{
        left: place.left,
        top: place.top,
        maxWidth: Math.min(240, width),
        maxHeight: height,
        visibility: size ? 'visible' : 'hidden',
        pointerEvents: pinned ? 'auto' : 'none',
      }}
      role="tooltip"
      data-testid="activity-tooltip"
    >
      <div className={styles.title}>{props.title}</div>
      <div>
        <strong>{props.valueText}</strong> <span className={styles.muted}>{props.what}</span>
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
      {!pinned && (links.length > 0 || props.onZoom) && (
        <div className={styles.muted}>Click or press Enter for links</div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({
    position: 'absolute',
    zIndex: theme.zIndex.tooltip,
    overflow: 'auto',
    boxSizing: 'border-box',
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
