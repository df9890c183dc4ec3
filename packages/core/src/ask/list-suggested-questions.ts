import type { Context } from "../context.ts";
import { loadCatalogue } from "./catalogue.ts";
import { suggestedQuestions } from "./suggestions.ts";

/** Questions to offer on a page: about its device or site, else about the fleet, with real ids filled in. */
export async function listSuggestedQuestions(
  ctx: Context,
  scope: { siteId?: string; deviceId?: string },
): Promise<string[]> {
  const catalogue = await loadCatalogue(ctx);
  const device = catalogue.devices.find((d) => d.deviceId === scope.deviceId);
  const site = scope.siteId ?? device?.siteId;
  return suggestedQuestions({
    device: device?.deviceId,
    site: catalogue.sites.find((s) => s.siteId === site)?.siteId,
    site2: catalogue.sites.find((s) => s.siteId !== site)?.siteId,
  });
}
