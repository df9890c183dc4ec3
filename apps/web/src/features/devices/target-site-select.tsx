import type { ComponentProps } from "react";
import { FilterSelect } from "../../components/ui/index.tsx";
import { siteOptions } from "../../lib/site-options.ts";

/** Where devices go (a bulk move, a transfer): the sites they may go to, labelled "Name (site-id)". */
export function TargetSiteSelect({
  sites,
  ...select
}: { sites: Parameters<typeof siteOptions>[0] } & Omit<ComponentProps<typeof FilterSelect>, "label" | "options">) {
  return <FilterSelect label="Target site" options={siteOptions(sites, { withId: true })} {...select} />;
}
