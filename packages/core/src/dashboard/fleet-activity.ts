import { appState, type Db, fleetActivityRollups, recordsetInsert, rowsOf } from "@homepot/db";
import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { maxId, touchedHours } from "../analytics/refresh-rollups.ts";
import type { Context } from "../context.ts";

/**
 * The fleet's activity per site and bucket, the Overview's series: devices that reported (a health report or
 * metrics), of those the ones that reported unhealthy at least once, error logs of severity error or critical, and
 * transactions. Ended buckets are kept in fleet_activity_rollups by the analytics maintenance task; the buckets
 * after them (the one in progress, or any the task has not reached) are counted live from the raw rows, the same way.
 */

export type ActivityBucket = "hour" | "day";
export const ACTIVITY_BUCKET_MS: Record<ActivityBucket, number> = { hour: 3_600_000, day: 86_400_000 };
/** `site_id` of what belongs to no known site (it names no site row, so the default tenant sees it). */
export const NO_SITE = "";
/** How far back a device's previous transaction count is looked for, so a bucket's first sample has an increment. */
const PREVIOUS_SAMPLE_LOOKBACK_MS = 86_400_000;
/** At most this far back the maintenance task keeps buckets (older raw rows are left to the live path). */
const KEEP_DAYS = 31;
const STATE_KEY = "dashboard.fleet_activity";
/** How old the kept count of the hour in progress may be before a chart counts that hour live instead. */
const PROVISIONAL_MS = 3 * 60_000;

export interface SiteActivity {
  start: Date;
  siteId: string;
  devicesReporting: number;
  devicesUnhealthy: number;
  errors: number;
  transactions: number;
}

export function activityBucketStart(t: Date, bucket: ActivityBucket): Date {
  const ms = ACTIVITY_BUCKET_MS[bucket];
  return new Date(Math.floor(t.getTime() / ms) * ms);
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamp`;

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  return new Date(`${String(v).replace(" ", "T")}Z`);
}

/**
 * Counts the raw rows of [from, to) per bucket and site. A device whose transaction_count only grows within a bucket
 * (at most 5 % drops, some rises) reports a running total: its increments count, the first one from its last sample
 * before the bucket; otherwise its values count.
 */
export async function countSiteActivity(db: Db, bucket: ActivityBucket, from: Date, to: Date): Promise<SiteActivity[]> {
  const unit = sql.raw(`'${bucket}'`);
  const lookback = ts(new Date(from.getTime() - PREVIOUS_SAMPLE_LOOKBACK_MS));
  const result = await db.execute(sql`
    with reports as (
      select date_trunc(${unit}, h.timestamp) as b, h.device_id as device_key, bool_or(not h.is_healthy) as unhealthy
      from health_checks h
      where h.timestamp >= ${ts(from)} and h.timestamp < ${ts(to)}
      group by 1, 2
    ), samples as (
      select m.device_id, m.timestamp as at, m.transaction_count as tx, true as counted
      from device_metrics m
      where m.timestamp >= ${ts(from)} and m.timestamp < ${ts(to)}
      union all
      select p.device_id, p.at, p.tx, false
      from (select distinct m.device_id from device_metrics m
            where m.timestamp >= ${ts(from)} and m.timestamp < ${ts(to)} and m.transaction_count is not null) x
      cross join lateral (
        select m.device_id, m.timestamp as at, m.transaction_count as tx from device_metrics m
        where m.device_id = x.device_id and m.transaction_count is not null
          and m.timestamp >= ${lookback} and m.timestamp < ${ts(from)}
        order by m.timestamp desc limit 1) p
    ), stepped as (
      select device_id, at, tx, counted,
             lag(tx) over (partition by device_id, tx is null order by at) as prev
      from samples
    ), metered as (
      select date_trunc(${unit}, at) as b, device_id,
             (count(*) filter (where tx < prev))::float8 / greatest(count(prev), 1) as drops,
             count(*) filter (where tx > prev) as rises,
             coalesce(sum(case when prev is null then 0 when tx >= prev then tx - prev else tx end), 0) as increments,
             coalesce(sum(tx), 0) as total
      from stepped where counted
      group by 1, 2
    ), per_device as (
      select coalesce(r.b, m.b) as b, coalesce(d.site_id, ${NO_SITE}) as site_id, coalesce(r.unhealthy, false) as unhealthy,
             case when m.drops <= 0.05 and m.rises > 0 then m.increments else coalesce(m.total, 0) end as transactions
      from (select r.b, d.device_id, r.unhealthy from reports r join devices d on d.id = r.device_key) r
      full join metered m on m.b = r.b and m.device_id = r.device_id
      left join devices d on d.device_id = coalesce(r.device_id, m.device_id)
    ), errors as (
      select date_trunc(${unit}, e.timestamp) as b, coalesce(d.site_id, ${NO_SITE}) as site_id, count(*)::int as n
      from error_logs e left join devices d on d.device_id = e.device_id
      where e.timestamp >= ${ts(from)} and e.timestamp < ${ts(to)} and e.severity in ('error', 'critical')
      group by 1, 2
    ), activity as (
      select b, site_id, count(*)::int as reporting, (count(*) filter (where unhealthy))::int as unhealthy,
             sum(transactions)::float8 as transactions
      from per_device group by 1, 2
    )
    select coalesce(a.b, e.b) as b, coalesce(a.site_id, e.site_id) as site_id, coalesce(a.reporting, 0) as reporting,
           coalesce(a.unhealthy, 0) as unhealthy, coalesce(e.n, 0) as errors, coalesce(a.transactions, 0) as transactions
    from activity a full join errors e on e.b = a.b and e.site_id = a.site_id`);
  const rows = rowsOf<{
    b: unknown;
    site_id: string;
    reporting: number;
    unhealthy: number;
    errors: number;
    transactions: number | string;
  }>(result);
  return rows.map((r) => ({
    start: toDate(r.b),
    siteId: r.site_id,
    devicesReporting: Number(r.reporting),
    devicesUnhealthy: Number(r.unhealthy),
    errors: Number(r.errors),
    transactions: Number(r.transactions),
  }));
}

async function filterSites(
  db: Db,
  rows: SiteActivity[],
  keep: (siteId: SQL) => SQL | undefined,
): Promise<SiteActivity[]> {
  const ids = [...new Set(rows.map((r) => r.siteId))];
  if (ids.length === 0) return rows;
  const condition = keep(sql.raw("x.site_id"));
  if (!condition) return rows;
  const visible = rowsOf<{ site_id: string }>(
    await db.execute(
      sql`select x.site_id from json_array_elements_text(${JSON.stringify(ids)}::json) as x(site_id) where ${condition}`,
    ),
  );
  const seen = new Set(visible.map((r) => r.site_id));
  return rows.filter((r) => seen.has(r.siteId));
}

interface ActivityState {
  /** Every ended hour before this (epoch ms) is kept; the maintenance task moves it forward. */
  keptUntil: number;
  /** When the hour in progress (the one starting at keptUntil) was last counted and kept, for a minute or two. */
  countedAt: number;
  /** The highest ids the last two runs had seen, per table: rows above the older one may have landed late. */
  marks: Record<ActivityTable, [number, number]>;
}

const TABLES = ["health_checks", "device_metrics", "error_logs"] as const;
type ActivityTable = (typeof TABLES)[number];

export async function readActivityState(db: Db): Promise<ActivityState> {
  const [row] = await db.select().from(appState).where(eq(appState.key, STATE_KEY));
  const v = (row?.value ?? {}) as Partial<ActivityState>;
  const marks = Object.fromEntries(TABLES.map((t) => [t, v.marks?.[t] ?? [0, 0]])) as ActivityState["marks"];
  return { keptUntil: Number(v.keptUntil ?? 0), countedAt: Number(v.countedAt ?? 0), marks };
}

/**
 * Keeps fleet_activity_rollups up to date, for the analytics maintenance task: every ended hour and day that got
 * rows since the run before last (so rows that committed late are counted too), recomputed whole from the raw rows
 * and replaced, then the kept frontier moved to the start of the current hour. The hour in progress is counted and
 * kept too, so a chart of a large fleet reads it (at most PROVISIONAL_MS old) instead of counting millions of raw
 * rows per request. Idempotent, so two servers running it at once agree. Returns how many buckets it recounted.
 */
export async function refreshFleetActivity(ctx: Context): Promise<number> {
  const db = ctx.db;
  const now = ctx.clock.now();
  const state = await readActivityState(db);
  const frontier = activityBucketStart(now, "hour");
  const oldest = new Date(activityBucketStart(now, "day").getTime() - KEEP_DAYS * ACTIVITY_BUCKET_MS.day);
  const touched = new Set<number>();
  const marks = {} as ActivityState["marks"];
  for (const table of TABLES) {
    const [older, last] = state.marks[table];
    const max = await maxId(db, sql`${sql.identifier(table)}`, sql`id`);
    marks[table] = [last, max];
    for (const h of await touchedHours(db, table, older, max)) touched.add(h.getTime());
  }
  // Hours that ended since the frontier was last moved (a quiet hour has no rows but must be counted as kept).
  for (let h = Math.max(state.keptUntil, oldest.getTime()); h < frontier.getTime(); h += ACTIVITY_BUCKET_MS.hour)
    touched.add(h);

  // Per day: its touched hours as one range (untouched hours between them are recomputed too, harmlessly), and the
  // day itself once it has ended.
  const days = new Map<number, { from: number; to: number }>();
  for (const h of touched) {
    if (h < oldest.getTime() || h >= frontier.getTime()) continue;
    const day = activityBucketStart(new Date(h), "day").getTime();
    const range = days.get(day) ?? { from: h, to: h + ACTIVITY_BUCKET_MS.hour };
    days.set(day, { from: Math.min(range.from, h), to: Math.max(range.to, h + ACTIVITY_BUCKET_MS.hour) });
  }
  let written = 0;
  for (const [day, hours] of days) {
    written += await keepRange(db, "hour", new Date(hours.from), new Date(hours.to), now);
    if (day + ACTIVITY_BUCKET_MS.day <= frontier.getTime())
      written += await keepRange(db, "day", new Date(day), new Date(day + ACTIVITY_BUCKET_MS.day), now);
  }
  written += await keepRange(db, "hour", frontier, new Date(frontier.getTime() + ACTIVITY_BUCKET_MS.hour), now);
  const value: ActivityState = { keptUntil: frontier.getTime(), countedAt: now.getTime(), marks };
  await db
    .insert(appState)
    .values({ key: STATE_KEY, value, updatedAt: now })
    .onConflictDoUpdate({ target: appState.key, set: { value, updatedAt: now } });
  return written;
}

const keptRows = recordsetInsert(fleetActivityRollups, [
  "bucket",
  "bucket_start",
  "site_id",
  "devices_reporting",
  "devices_unhealthy",
  "errors",
  "transactions",
  "updated_at",
]);

/** The kept rows of the buckets of this size that start in [from, to). */
function keptIn(bucket: ActivityBucket, from: Date, to: Date): SQL | undefined {
  return and(
    eq(fleetActivityRollups.bucket, bucket),
    gte(fleetActivityRollups.bucketStart, from),
    lt(fleetActivityRollups.bucketStart, to),
  );
}

/** Recounts the buckets of [from, to) and replaces their kept rows; returns how many buckets that was. */
async function keepRange(db: Db, bucket: ActivityBucket, from: Date, to: Date, now: Date): Promise<number> {
  const rows = await countSiteActivity(db, bucket, from, to);
  await db.transaction(async (tx) => {
    await tx.delete(fleetActivityRollups).where(keptIn(bucket, from, to));
    if (rows.length)
      await tx.execute(
        keptRows.insert(
          rows.map((r) => ({
            bucket,
            bucket_start: r.start.toISOString(),
            site_id: r.siteId,
            devices_reporting: r.devicesReporting,
            devices_unhealthy: r.devicesUnhealthy,
            errors: r.errors,
            transactions: r.transactions,
            updated_at: now.toISOString(),
          })),
        ),
      );
  });
  return Math.round((to.getTime() - from.getTime()) / ACTIVITY_BUCKET_MS[bucket]);
}

/**
 * The activity of [from, to) per bucket and site, as the caller may see it (`to` is now): kept buckets from
 * fleet_activity_rollups, including the hour in progress when the maintenance task counted it within PROVISIONAL_MS;
 * the rest (from the kept frontier on) counted live.
 */
export async function readSiteActivity(
  db: Db,
  bucket: ActivityBucket,
  from: Date,
  to: Date,
  keep?: (siteId: SQL) => SQL | undefined,
): Promise<SiteActivity[]> {
  const { keptUntil, countedAt } = await readActivityState(db);
  // A day is kept only once it has ended before the frontier; the hour in progress while its count is fresh.
  const hourInProgress = activityBucketStart(new Date(to.getTime() - 1), "hour").getTime();
  const fresh = bucket === "hour" && keptUntil === hourInProgress && to.getTime() - countedAt <= PROVISIONAL_MS;
  const keptTo = fresh
    ? keptUntil + ACTIVITY_BUCKET_MS.hour
    : activityBucketStart(new Date(keptUntil), bucket).getTime();
  const liveFrom = new Date(Math.min(to.getTime(), Math.max(from.getTime(), keptTo)));
  const kept =
    liveFrom > from
      ? await db
          .select()
          .from(fleetActivityRollups)
          .where(and(keptIn(bucket, from, liveFrom), keep?.(sql`${fleetActivityRollups.siteId}`)))
      : [];
  const counted = liveFrom < to ? await countSiteActivity(db, bucket, liveFrom, to) : [];
  // The scope filter names sites: applied to the few counted rows rather than to every raw row.
  const live = keep ? await filterSites(db, counted, keep) : counted;
  return [
    ...kept.map((r) => ({
      start: r.bucketStart,
      siteId: r.siteId,
      devicesReporting: r.devicesReporting,
      devicesUnhealthy: r.devicesUnhealthy,
      errors: r.errors,
      transactions: r.transactions,
    })),
    ...live,
  ];
}
