/**
 * A site picker's options (none while the list loads): each site's id as the value, labelled with its name (filters),
 * or `withId` "Name (site-id)" where the id matters (forms that move or register devices).
 */
export const siteOptions = (
  sites: readonly { site_id: string; name: string }[] | undefined,
  { withId = false }: { withId?: boolean } = {},
) => sites?.map((s) => ({ value: s.site_id, label: withId ? `${s.name} (${s.site_id})` : s.name })) ?? [];
