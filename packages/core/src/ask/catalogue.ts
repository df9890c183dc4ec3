import { devices, sites } from "@homepot/db";
import { asc } from "drizzle-orm";
import type { Context } from "../context.ts";
import { inScope } from "../tenants/authorize.ts";
import { STOPWORDS, SYNONYMS } from "./vocabulary.ts";

/**
 * The sites and devices a question may name, read once per question (a few hundred rows at most): only those the
 * asker may see, so a question can never name (or be answered about) another tenant's till.
 */
export interface Catalogue {
  sites: { siteId: string; name: string; active: boolean }[];
  devices: { deviceId: string; siteId: string; name: string; active: boolean; lastSeen: Date | null; status: string }[];
}

export async function loadCatalogue(ctx: Context): Promise<Catalogue> {
  const db = ctx.db;
  const [siteRows, deviceRows] = await Promise.all([
    db
      .select({ siteId: sites.siteId, name: sites.name, active: sites.isActive })
      .from(sites)
      .where(inScope(ctx, { site: sites.siteId }, "read"))
      .orderBy(asc(sites.siteId)),
    db
      .select({
        deviceId: devices.deviceId,
        siteId: devices.siteId,
        name: devices.name,
        active: devices.isActive,
        lastSeen: devices.lastSeen,
        status: devices.status,
      })
      .from(devices)
      .where(inScope(ctx, { site: devices.siteId }, "read"))
      .orderBy(asc(devices.deviceId)),
  ]);
  return { sites: siteRows, devices: deviceRows };
}

/** The words of a site's name that tell it apart ("downtown", "mall"), not generic ones ("store", "the"). */
export function distinctiveWords(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !(w in SYNONYMS) && !/^\d+$/.test(w));
}
