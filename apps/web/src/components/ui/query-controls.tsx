import type { ComponentProps } from "react";
import { siteOptions } from "../../lib/site-options.ts";
import { useQueryFilters } from "../../lib/use-query-filters.ts";
import { Button, FilterSelect } from "./index.tsx";

/**
 * "1–100 of 2 345" with Previous and Next under a paged list (`<id>-prev`, `<id>-next`). Without a total, Next stays
 * enabled while a page comes back full.
 */
export function Pager({
  id,
  offset,
  shown,
  total,
  pageSize,
  onOffset,
}: {
  id: string;
  offset: number;
  /** Rows on this page. */
  shown: number;
  total?: number | undefined;
  pageSize: number;
  onOffset: (offset: number) => void;
}) {
  if (shown === 0) return null;
  return (
    <div className="row">
      <span className="muted">
        {offset + 1}–{offset + shown}
        {total !== undefined ? ` of ${total}` : ""}
      </span>
      <Button id={`${id}-prev`} disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - pageSize))}>
        Previous
      </Button>
      <Button
        id={`${id}-next`}
        disabled={total !== undefined ? offset + shown >= total : shown < pageSize}
        onClick={() => onOffset(offset + pageSize)}
      >
        Next
      </Button>
    </div>
  );
}

/** A Pager over a list page's `offset` kept in the URL (useQueryFilters). */
export function QueryPager(props: { id: string; shown: number; total?: number | undefined; pageSize: number }) {
  const { update, offset } = useQueryFilters();
  return <Pager {...props} offset={offset} onOffset={(o) => update({ offset: String(o) })} />;
}

/** A FilterSelect bound to the list page's URL filter `name` (useQueryFilters). */
export function QueryFilterSelect({
  name,
  ...props
}: { name: string } & Omit<ComponentProps<typeof FilterSelect>, "value" | "onValue">) {
  const { get, update } = useQueryFilters();
  return <FilterSelect {...props} value={get(name)} onValue={(v) => update({ [name]: v })} />;
}

/** A list page's site filter, `site_id` in the URL: "All sites", or one of `sites` by name. */
export function QuerySiteFilter({ id, sites }: { id: string; sites: Parameters<typeof siteOptions>[0] }) {
  return <QueryFilterSelect id={id} label="Site" name="site_id" any="All sites" options={siteOptions(sites)} />;
}
