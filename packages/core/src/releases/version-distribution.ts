import { devices, releases } from "@homepot/db";
import { and, countDistinct, eq, or, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { inScope } from "../tenants/authorize.ts";
import { compareVersions } from "./compatibility.ts";
import { versionColumn } from "./release.repository.ts";

export interface VersionCount {
  /** The release name whose version this is (one the device's type may run); null when no release matches. */
  name: string | null;
  /** null = the device reports no version. */
  version: string | null;
  devices: number;
}

/** null last, else `compare`. */
const nullsLast =
  <T>(compare: (x: T, y: T) => number) =>
  (a: T | null, b: T | null): number =>
    a === null || b === null ? (a === b ? 0 : a === null ? 1 : -1) : compare(a, b);

/** Newest version first, then by name; no version (or no release name) last. */
const byVersion = (a: VersionCount, b: VersionCount): number =>
  nullsLast<string>((x, y) => compareVersions(y, x))(a.version, b.version) ||
  nullsLast<string>((x, y) => x.localeCompare(y))(a.name, b.name);

/**
 * How many active devices run each version of a release type, per release name (a device counts under every
 * release of that type, version and a device type it may run), fleet-wide and per site; `siteId` narrows to one site.
 */
export async function versionDistribution(ctx: Context, releaseType: "software" | "firmware", siteId?: string) {
  const version = versionColumn(releaseType);
  const rows = await ctx.db
    .select({
      siteId: devices.siteId,
      name: releases.name,
      version,
      devices: countDistinct(devices.id),
    })
    .from(devices)
    .leftJoin(
      releases,
      and(
        eq(releases.releaseType, releaseType),
        eq(releases.version, version),
        or(sql`cardinality(${releases.deviceTypes}) = 0`, sql`${devices.deviceType} = any(${releases.deviceTypes})`),
      ),
    )
    .where(
      and(
        eq(devices.isActive, true),
        siteId ? eq(devices.siteId, siteId) : undefined,
        inScope(ctx, { site: devices.siteId }),
      ),
    )
    .groupBy(devices.siteId, releases.name, version);

  const fleet = new Map<string, VersionCount>();
  const sites = new Map<string, VersionCount[]>();
  for (const r of rows) {
    const count: VersionCount = { name: r.name, version: r.version, devices: Number(r.devices) };
    const key = JSON.stringify([r.name, r.version]);
    const total = fleet.get(key);
    if (total) total.devices += count.devices;
    else fleet.set(key, { ...count });
    sites.set(r.siteId, [...(sites.get(r.siteId) ?? []), count]);
  }
  const [all] = await ctx.db
    .select({ n: countDistinct(devices.id) })
    .from(devices)
    .where(
      and(
        eq(devices.isActive, true),
        siteId ? eq(devices.siteId, siteId) : undefined,
        inScope(ctx, { site: devices.siteId }),
      ),
    );
  return {
    release_type: releaseType,
    site_id: siteId ?? null,
    total_devices: Number(all?.n ?? 0),
    fleet: [...fleet.values()].sort(byVersion),
    sites: [...sites.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([site, versions]) => ({ site_id: site, versions: versions.sort(byVersion) })),
  };
}
