/** A site picker's options: each site's id as the value, its name as the label (none while the list loads). */
export const siteOptions = (sites: readonly { site_id: string; name: string }[] | undefined) =>
  sites?.map((s) => ({ value: s.site_id, label: s.name })) ?? [];
