/** Data links from a table's user column to the per-user dashboard, keeping the time range. */
export const USER_DASHBOARD = { uid: 'kibotics-user', slug: 'kibotics-user' } as const;

export const userLink = {
  matcher: { id: 'byName', options: 'user' },
  properties: [
    {
      id: 'links',
      value: [
        {
          title: 'Everything ${__value.raw} did',
          url: `/d/${USER_DASHBOARD.uid}/${USER_DASHBOARD.slug}?var-user=\${__value.raw}&\${__url_time_range}`,
        },
      ],
    },
  ],
};

/** Hides the `count` column that raw queries select only so that rows without other fields still come back. */
export const hideCount = {
  id: 'organize',
  options: { excludeByName: { count: true }, indexByName: {}, renameByName: {} },
};
