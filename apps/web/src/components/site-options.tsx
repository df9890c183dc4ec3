/** A site picker's `<option>`s: a first one with no value (`none`, e.g. "Choose a site…"), then "Name (site-id)" each. */
export function SiteOptions({
  sites = [],
  none,
}: {
  sites: readonly { site_id: string; name: string }[] | undefined;
  none: string;
}) {
  return (
    <>
      <option value="">{none}</option>
      {sites.map((s) => (
        <option key={s.site_id} value={s.site_id}>
          {s.name} ({s.site_id})
        </option>
      ))}
    </>
  );
}
