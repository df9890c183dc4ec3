import type { RuleConditionValue, RuleScopeValue } from "@homepot/contracts/alerts";
import { type Db, devices, inList, siteOperatingSchedules, sites } from "@homepot/db";
import { and, eq, gte } from "drizzle-orm";
import { localParts, phaseAt, type ScheduleDay } from "../schedules/opening-hours.ts";
import { listRules, type RuleRow } from "./alert.repository.ts";
import type { DeviceFacts } from "./rule-logic.ts";

/** A rule as the evaluator holds it: parsed condition and scope. */
export interface LiveRule {
  id: number;
  /** A tenant's rule watches only that tenant's devices; null: every device. */
  tenantId: number | null;
  name: string;
  severity: string;
  template: string | null;
  condition: RuleConditionValue;
  scope: Partial<RuleScopeValue>;
}

export interface LiveDevice extends DeviceFacts {
  status: string;
  /** active, or suspended / pending / unpaired (muted). */
  lifecycle: string;
  /** When the current status began (ms). */
  statusSince: number;
  lastSeen: number | null;
}

export interface LiveSite {
  tenantId: number;
  timezone: string;
  schedule: ScheduleDay[];
}

export async function loadLiveRules(db: Db): Promise<LiveRule[]> {
  return (await listRules(db))
    .filter((r) => r.enabled)
    .map((r: RuleRow) => ({
      id: r.id,
      tenantId: r.tenantId,
      name: r.name,
      severity: r.severity,
      template: r.messageTemplate,
      condition: r.params as RuleConditionValue,
      scope: (r.scope ?? {}) as Partial<RuleScopeValue>,
    }));
}

/** Active devices (all, or those changed since `since`, or one). */
export async function loadLiveDevices(
  db: Db,
  opts: { since?: Date; deviceId?: string; deviceIds?: string[] } = {},
): Promise<LiveDevice[]> {
  const rows = await db
    .select({
      deviceId: devices.deviceId,
      siteId: devices.siteId,
      segment: devices.segment,
      tags: devices.tags,
      status: devices.status,
      updatedAt: devices.updatedAt,
      lastSeen: devices.lastSeen,
      isActive: devices.isActive,
      lifecycle: devices.lifecycleState,
    })
    .from(devices)
    .where(
      and(
        opts.since ? gte(devices.updatedAt, opts.since) : eq(devices.isActive, true),
        opts.deviceId ? eq(devices.deviceId, opts.deviceId) : undefined,
        opts.deviceIds ? inList(devices.deviceId, opts.deviceIds) : undefined,
      ),
    );
  return rows.map((r) => ({
    deviceId: r.deviceId,
    siteId: r.siteId,
    segment: r.segment,
    tags: r.tags,
    status: r.isActive ? r.status : "deleted",
    lifecycle: r.lifecycle,
    statusSince: r.updatedAt.getTime(),
    lastSeen: r.lastSeen?.getTime() ?? null,
  }));
}

export async function loadLiveSites(db: Db): Promise<Map<string, LiveSite>> {
  const [siteRows, days] = await Promise.all([
    db.select({ siteId: sites.siteId, tenantId: sites.tenantId, timezone: sites.timezone }).from(sites),
    db.select().from(siteOperatingSchedules),
  ]);
  const out = new Map<string, LiveSite>(
    siteRows.map((s) => [s.siteId, { tenantId: s.tenantId, timezone: s.timezone, schedule: [] }]),
  );
  const hhmm = (t: string | null) => (t ? t.slice(0, 5) : null);
  for (const d of days)
    out.get(d.siteId)?.schedule.push({
      dayOfWeek: d.dayOfWeek,
      openTime: hhmm(d.openTime),
      closeTime: hhmm(d.closeTime),
      isClosed: d.isClosed,
      isMaintenanceWindow: d.isMaintenanceWindow,
      expectedTransactionVolume: d.expectedTransactionVolume,
      peakHoursStart: hhmm(d.peakHoursStart),
      peakHoursEnd: hhmm(d.peakHoursEnd),
    });
  return out;
}

/**
 * Whether a site is open at `ms` by its schedule; a site without a schedule for that day counts as open
 * (we cannot tell, and silence then matters).
 */
export function siteOpen(site: LiveSite | undefined, ms: number): boolean {
  if (!site || site.schedule.length === 0) return true;
  const { dow, minute } = localParts(ms, site.timezone);
  const phase = phaseAt(site.schedule, dow, minute);
  return phase !== "closed";
}

/** Alerts are muted while the site is closed on a day marked as its maintenance window. */
export function inMaintenanceWindow(site: LiveSite | undefined, ms: number): boolean {
  if (!site) return false;
  const { dow, minute } = localParts(ms, site.timezone);
  const day = site.schedule.find((d) => d.dayOfWeek === dow);
  return day?.isMaintenanceWindow === true && phaseAt(site.schedule, dow, minute) === "closed";
}
