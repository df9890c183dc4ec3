import { devices, jobs, sites } from "@homepot/db";
import { eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import type { DeviceRow } from "../devices/device.repository.ts";
import { bumpKeyEpoch } from "../devices/key-epoch.ts";
import { announce } from "../devices/lifecycle-bus.ts";
import { ForbiddenError, ValidationError } from "../errors.ts";
import { lockSite } from "./lock-site.ts";
import { deleteDeviceRows, idList, keptOnPurge, tablesWithColumn } from "./purge-rows.ts";

/** Tables keyed by the site's string id that belong to the site alone (history of moved devices is kept). */
const SITE_TABLES = ["site_operating_schedules", "device_metric_rollups", "enrolment_intents", "alerts"];

/**
 * Deletes a site and everything of its devices (metrics, health, history, commands, outcomes, errors, logs…)
 * in one transaction, leaving only an audit tombstone. Admins only, and only with `confirm` set.
 */
export async function purgeSite(
  ctx: Context,
  siteId: string,
  confirm: boolean,
): Promise<{ siteId: string; devices: number }> {
  if (ctx.actor.kind === "user" && ctx.actor.role !== "admin")
    throw new ForbiddenError("Purging a site needs an admin");
  if (!confirm) throw new ValidationError("purge deletes the site and all its data: send confirm=true", "confirm");
  const gone: DeviceRow[] = [];
  const r = await ctx.db.transaction(async (tx) => {
    const site = await lockSite(tx, siteId);
    const rows = await tx.select().from(devices).where(eq(devices.siteId, site.siteId));
    const ids = rows.map((d) => d.deviceId);
    const siteJobs = await tx.select({ jobId: jobs.jobId }).from(jobs).where(eq(jobs.siteId, site.id));
    const jobIds = siteJobs.map((j) => j.jobId);
    await deleteDeviceRows(tx, rows);
    await tx.execute(sql`delete from configuration_history where entity_type = 'site' and entity_id = ${site.siteId}`);
    for (const { table } of await tablesWithColumn(tx, "job_id"))
      if (!keptOnPurge(table) && table !== "jobs" && jobIds.length)
        await tx.execute(sql`delete from ${sql.identifier(table)} where job_id::text in ${idList(jobIds)}`);
    await tx.delete(jobs).where(eq(jobs.siteId, site.id));
    const present = new Set((await tablesWithColumn(tx, "site_id")).map((t) => t.table));
    for (const table of SITE_TABLES)
      if (present.has(table))
        await tx.execute(sql`delete from ${sql.identifier(table)} where site_id = ${site.siteId}`);
    await tx.delete(sites).where(eq(sites.id, site.id));
    await bumpKeyEpoch(tx);
    await recordAudit(
      ctx,
      {
        eventType: "site_purged",
        description: `Site ${site.siteId} (${site.name}) and all its data purged (${ids.length} device(s))`,
        oldValues: { site_id: site.siteId, name: site.name, db_id: site.id, device_ids: ids, job_ids: jobIds },
        metadata: { cleanup_policy: "purge" },
      },
      tx,
    );
    gone.push(...rows);
    return { siteId: site.siteId, devices: ids.length };
  });
  announce(gone, { purged: true });
  return r;
}
