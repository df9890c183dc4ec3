import type { BodyOf } from "@homepot/contracts/client";
import { MAX_BULK_DEVICES, SIMULATE_TAG, SIMULATION_FINISHED_TAG } from "@homepot/contracts/devices";
import { type ApiClient, detailOf } from "./api-client.ts";
import { CliError } from "./cli-error.ts";

/** The description of a site `homepot simulate` created (a site has no tags). */
export const SIMULATED_SITE_DESCRIPTION = "Created by homepot simulate";

/**
 * Ends a run: its devices go to maintenance and get the `simulation-finished` tag (bulk requests of 500), so a
 * device that went silent because its simulation stopped is never taken for a real one that went offline: no
 * downtime, left out of insights and the Overview. The next run with the same ids puts them back in service.
 */
export async function parkSimulatedDevices(client: ApiClient, deviceIds: readonly string[]): Promise<number> {
  let parked = 0;
  for (let i = 0; i < deviceIds.length; i += MAX_BULK_DEVICES) {
    const device_ids = deviceIds.slice(i, i + MAX_BULK_DEVICES);
    parked += await bulk(client, { action: "status", status: "maintenance", device_ids });
    await bulk(client, { action: "tag", add: [SIMULATION_FINISHED_TAG], device_ids });
  }
  return parked;
}

/** The start of a run that reuses devices of an earlier one: back in service, no longer finished. */
export async function resumeSimulatedDevices(client: ApiClient, deviceIds: readonly string[]): Promise<void> {
  for (let i = 0; i < deviceIds.length; i += MAX_BULK_DEVICES) {
    const device_ids = deviceIds.slice(i, i + MAX_BULK_DEVICES);
    // A device in maintenance keeps that status whatever it reports: the run sets it online itself.
    await bulk(client, { action: "status", status: "online", device_ids });
    await bulk(client, { action: "tag", add: [SIMULATE_TAG], remove: [SIMULATION_FINISHED_TAG], device_ids });
  }
}

export interface CleanupResult {
  /** Devices removed (soft-deleted: gone from lists, Overview and insights; their history stays). */
  removed: string[];
  sitesRemoved: string[];
  /** Sites `homepot simulate` created that still hold other devices. */
  sitesKept: string[];
}

/**
 * `homepot simulate --cleanup` (admin): removes every active device a simulate run registered, then the sites
 * simulate created once they are empty. Device ids are never reused, so a later run needs another --prefix.
 */
export async function cleanupSimulations(client: ApiClient): Promise<CleanupResult> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const res = await client.call("GET /devices", { query: { tag: SIMULATE_TAG, limit: 1000, offset } });
    if (!res.ok || res.status !== 200)
      throw new CliError(`cannot list simulated devices (${res.status}): ${detailOf(res.body)}`);
    const page = res.body.devices ?? [];
    ids.push(...page.map((d) => d.device_id));
    if (page.length < 1000) break;
  }
  const removed: string[] = [];
  for (const id of ids) {
    const res = await client.call("DELETE /devices/{device_id}", { params: { device_id: id } });
    if (res.status === 403) throw new CliError("removing devices needs an admin account", 2);
    if (res.status === 200) removed.push(id);
    else if (res.status !== 404) throw new CliError(`cannot remove ${id} (${res.status}): ${detailOf(res.body)}`);
  }
  const sites = await client.call("GET /sites", { query: { limit: 1000 } });
  const sitesRemoved: string[] = [];
  const sitesKept: string[] = [];
  for (const site of (sites.ok && sites.body?.sites) || []) {
    if (site.description !== SIMULATED_SITE_DESCRIPTION) continue;
    // The site holds other devices now: it stays (deleting would archive it and suspend them).
    if ((site.device_count ?? 0) > 0) {
      sitesKept.push(site.site_id);
      continue;
    }
    const res = await client.call("DELETE /sites/{site_id}", { params: { site_id: site.site_id } });
    (res.status === 200 ? sitesRemoved : sitesKept).push(site.site_id);
  }
  return { removed, sitesRemoved, sitesKept };
}

async function bulk(client: ApiClient, body: BodyOf<"POST /devices/bulk">): Promise<number> {
  const res = await client.call("POST /devices/bulk", { body });
  if (!res.ok || res.status !== 200)
    throw new CliError(`cannot update the simulated devices (${res.status}): ${detailOf(res.body)}`);
  return res.body.data?.succeeded ?? 0;
}
