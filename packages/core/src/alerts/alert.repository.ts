import { alertRules, alerts, type Db } from "@homepot/db";
import { and, count, desc, eq, gte, inArray, like, lte, ne, type SQL, sql } from "drizzle-orm";
import { updateOne } from "../rows.ts";

export type AlertRow = typeof alerts.$inferSelect;
export type AlertInsert = typeof alerts.$inferInsert;
export type RuleRow = typeof alertRules.$inferSelect;
export type AlertStatusValue = "open" | "acknowledged" | "resolved";

/** The open or acknowledged alert of a condition, if any. */
export async function findActiveAlert(db: Db, fingerprint: string): Promise<AlertRow | undefined> {
  const [row] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.fingerprint, fingerprint), eq(alerts.resolved, false)))
    .orderBy(desc(alerts.createdAt))
    .limit(1);
  return row;
}

/** The alert of a condition resolved since `since` (re-opened instead of raising a new one: flapping). */
export async function findRecentlyResolved(db: Db, fingerprint: string, since: Date): Promise<AlertRow | undefined> {
  const [row] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.fingerprint, fingerprint), eq(alerts.resolved, true), gte(alerts.resolvedAt, since)))
    .orderBy(desc(alerts.resolvedAt))
    .limit(1);
  return row;
}

export async function findAlert(db: Db, id: number): Promise<AlertRow | undefined> {
  const [row] = await db.select().from(alerts).where(eq(alerts.id, id)).limit(1);
  return row;
}

/** Inserts an active alert; undefined when one of that fingerprint is already active (another instance won). */
export async function insertActiveAlert(db: Db, values: AlertInsert): Promise<AlertRow | undefined> {
  const [row] = await db
    .insert(alerts)
    .values(values)
    .onConflictDoNothing({ target: alerts.fingerprint, where: sql`resolved = false` })
    .returning();
  return row;
}

/** Re-opens a resolved alert; undefined when it is no longer resolved (re-opened by another instance). */
export function reopenAlert(db: Db, id: number, values: Partial<AlertInsert>): Promise<AlertRow | undefined> {
  return updateOne(db, alerts, values, and(eq(alerts.id, id), eq(alerts.resolved, true)));
}

/** Resolves an active alert; undefined when it was resolved already (by another instance or person). */
export function resolveActiveAlert(db: Db, id: number, values: Partial<AlertInsert>): Promise<AlertRow | undefined> {
  return updateOne(db, alerts, values, and(eq(alerts.id, id), eq(alerts.resolved, false)));
}

export async function updateAlert(db: Db, id: number, values: Partial<AlertInsert>): Promise<AlertRow> {
  const row = await updateOne(db, alerts, values, eq(alerts.id, id));
  if (!row) throw new Error(`alert ${id} vanished`);
  return row;
}

/** The same condition seen again: bump its counter and last-seen time. */
export async function touchAlert(db: Db, id: number, at: Date, values: Partial<AlertInsert> = {}): Promise<AlertRow> {
  return updateAlert(db, id, { ...values, lastSeenAt: at, occurrences: sql`${alerts.occurrences} + 1` as never });
}

export interface AlertFilter {
  status?: "open" | "acknowledged" | "resolved" | "active" | "all";
  severity?: string;
  siteId?: string;
  deviceId?: string;
  ruleId?: number;
  kind?: string;
  startDate?: Date;
  endDate?: Date;
  /** The alerts the caller may see (tenants): a condition from tenants/authorize's inScope. */
  visible?: SQL | undefined;
}

function where(f: AlertFilter): SQL | undefined {
  const status = f.status ?? "active";
  return and(
    status === "active" ? eq(alerts.resolved, false) : status === "all" ? undefined : eq(alerts.status, status),
    f.severity ? eq(alerts.severity, f.severity) : undefined,
    f.siteId ? eq(alerts.siteId, f.siteId) : undefined,
    f.deviceId ? eq(alerts.deviceId, f.deviceId) : undefined,
    f.ruleId ? eq(alerts.ruleId, f.ruleId) : undefined,
    f.kind ? eq(alerts.kind, f.kind) : undefined,
    f.startDate ? gte(alerts.lastSeenAt, f.startDate) : undefined,
    f.endDate ? lte(alerts.createdAt, f.endDate) : undefined,
    f.visible,
  );
}

export async function listAlertRows(
  db: Db,
  f: AlertFilter,
  limit: number,
  offset: number,
): Promise<{ rows: (AlertRow & { ruleName: string | null })[]; total: number }> {
  const w = where(f);
  const [rows, [t]] = await Promise.all([
    db
      .select({ alert: alerts, ruleName: alertRules.name })
      .from(alerts)
      .leftJoin(alertRules, eq(alertRules.id, alerts.ruleId))
      .where(w)
      .orderBy(desc(alerts.lastSeenAt), desc(alerts.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(alerts).where(w),
  ]);
  return { rows: rows.map((r) => ({ ...r.alert, ruleName: r.ruleName })), total: t?.n ?? 0 };
}

/** Active alerts by status, severity, site and device (for badges). */
export async function countActiveAlerts(db: Db, f: { siteId?: string; deviceId?: string; visible?: SQL | undefined }) {
  return db
    .select({
      status: alerts.status,
      severity: alerts.severity,
      siteId: alerts.siteId,
      deviceId: alerts.deviceId,
      n: count(),
    })
    .from(alerts)
    .where(and(openAlertsOf(f), f.visible))
    .groupBy(alerts.status, alerts.severity, alerts.siteId, alerts.deviceId);
}

/** Unresolved alerts, of one site or device when given. */
const openAlertsOf = (f: { siteId?: string | undefined; deviceId?: string | undefined }) =>
  and(
    eq(alerts.resolved, false),
    f.siteId ? eq(alerts.siteId, f.siteId) : undefined,
    f.deviceId ? eq(alerts.deviceId, f.deviceId) : undefined,
  );

/** Open alerts, newest activity first, of one site or device when given. */
export async function listOpenAlerts(
  db: Db,
  filter: { siteId?: string; deviceId?: string },
  limit: number,
): Promise<AlertRow[]> {
  return db.select().from(alerts).where(openAlertsOf(filter)).orderBy(desc(alerts.lastSeenAt)).limit(limit);
}

/** Every active alert's fingerprint and id (the evaluator's cache at start). */
export async function listActiveFingerprints(db: Db): Promise<{ id: number; fingerprint: string }[]> {
  return db.select({ id: alerts.id, fingerprint: alerts.fingerprint }).from(alerts).where(eq(alerts.resolved, false));
}

/** Fingerprints of active alerts starting with `prefix` (a job's per-device rollbacks). */
export async function listActiveFingerprintsLike(db: Db, prefix: string): Promise<string[]> {
  const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .select({ fingerprint: alerts.fingerprint })
    .from(alerts)
    .where(and(eq(alerts.resolved, false), like(alerts.fingerprint, pattern)));
  return rows.map((r) => r.fingerprint);
}

/** Active alerts of a source (and kind) on some devices. */
export async function listActiveOnDevices(
  db: Db,
  deviceIds: readonly string[],
  source: string,
  kind?: string,
): Promise<AlertRow[]> {
  if (deviceIds.length === 0) return [];
  return db
    .select()
    .from(alerts)
    .where(
      and(
        eq(alerts.resolved, false),
        eq(alerts.source, source),
        inArray(alerts.deviceId, [...deviceIds]),
        kind ? eq(alerts.kind, kind) : undefined,
      ),
    );
}

/** Active alerts of a source not seen since `before` (anomalies that stopped being detected). */
export async function listStaleActive(db: Db, source: string, before: Date): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.resolved, false), eq(alerts.source, source), lte(alerts.lastSeenAt, before)))
    .limit(1000);
}

export async function countOpenByRule(db: Db, visible?: SQL): Promise<Map<number, number>> {
  const rows = await db
    .select({ ruleId: alerts.ruleId, n: count() })
    .from(alerts)
    .where(and(eq(alerts.resolved, false), ne(alerts.source, "device"), visible))
    .groupBy(alerts.ruleId);
  return new Map(rows.filter((r) => r.ruleId !== null).map((r) => [r.ruleId as number, r.n]));
}

export async function listRules(db: Db, ids?: number[]): Promise<RuleRow[]> {
  return db
    .select()
    .from(alertRules)
    .where(ids ? inArray(alertRules.id, ids) : undefined)
    .orderBy(alertRules.id);
}

export async function findRule(db: Db, id: number): Promise<RuleRow | undefined> {
  const [row] = await db.select().from(alertRules).where(eq(alertRules.id, id)).limit(1);
  return row;
}
