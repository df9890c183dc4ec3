import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  index,
  primaryKey,
  serial,
  text,
  timestamp,
  varchar,
} from "drizzle-orm/pg-core";

/** All time columns are `timestamp` (without time zone, as in the seeds) holding UTC. */
export const utc = (name: string) => timestamp(name, { mode: "date" });
export const utcNow = (name: string) => utc(name).notNull().defaultNow();

/** When a row was created and last changed (`...timestamps()` in a table's columns). */
export const timestamps = () => ({ createdAt: utcNow("created_at"), updatedAt: utcNow("updated_at") });

/** A row's state (`pending`, `open`, `active`…), starting at `initial`. */
export const status = (initial: string) => varchar("status", { length: 20 }).notNull().default(initial);

/**
 * A device's public id: devices.device_id, and the same id in the rows about one device (no foreign key there: those
 * rows are kept, or trimmed by retention, on their own terms).
 */
export const devicePublicId = () => varchar("device_id", { length: 100 });

/** A site's public id: sites.site_id, and the same id in the rows about one site (no foreign key there either). */
export const sitePublicId = () => varchar("site_id", { length: 50 });

/** A job's public id: jobs.job_id, and the same id in the rows a job made (commands, per-device progress…). */
export const jobPublicId = () => varchar("job_id", { length: 100 });

/** A release's public id: releases.release_id, and the same id in the jobs, uploads and downloads of a release. */
export const releasePublicId = () => varchar("release_id", { length: 40 });

/**
 * A role inside a tenant or a site, or an account's own: admin > operator > installer > viewer (installer: onboards
 * devices only).
 */
export type MemberRole = "admin" | "operator" | "installer" | "viewer";
/** A user's role: the account's own, the one an invitation grants, or a membership's. */
export const role = () => varchar("role", { length: 20 }).$type<MemberRole>().notNull();

/** A SHA-256 digest in hex: of a secret (a key, a token), which is never stored itself, or of a release's bytes. */
export const sha256Hex = (name: string) => varchar(name, { length: 64 });

/** A list of strings (tags, ids, names), empty by default. */
export const textList = (name: string) => text(name).array().notNull().default(sql`'{}'::text[]`);

/** Where a request came from: the client's address and its user agent. */
export const requestOrigin = () => ({
  ipAddress: varchar("ip_address", { length: 45 }),
  userAgent: varchar("user_agent", { length: 500 }),
});

/** Something an operator resolves by hand (an alert, an error log): whether, when and by whom. */
export const resolution = () => ({
  resolved: boolean("resolved").notNull().default(false),
  resolvedAt: utc("resolved_at"),
  resolvedBy: varchar("resolved_by", { length: 255 }),
});

/** The key every rollup row starts with: its bucket (hour | day) and the bucket's start. */
export const rollupBucket = () => ({
  bucket: varchar("bucket", { length: 8 }).notNull(),
  bucketStart: utc("bucket_start").notNull(),
});

/** Who made a row operators edit (a rule, a channel, a template), when, and when it last changed. */
export const authored = () => ({ createdBy: varchar("created_by", { length: 255 }), ...timestamps() });

export type Provenance = "real" | "simulated" | "test";
/** Where a row came from: a real device, a simulated one, or a controlled test, so analytics can keep them apart. */
export const provenance = () => varchar("provenance", { length: 12 }).$type<Provenance>().notNull().default("real");

/** The id column of a partitioned time series, by its type (`seriesColumns("bigserial")`). */
const seriesIds = {
  serial: () => serial("id").notNull(),
  bigserial: () => bigserial("id", { mode: "number" }).notNull(),
};

/**
 * The columns a time series partitioned by `timestamp` starts with: an id (bigserial where rows come with every
 * request or sample) that is unique only with its timestamp, so the keys below make the primary key of the two.
 */
export const seriesColumns = <K extends keyof typeof seriesIds>(id: K) => ({
  // The cast keeps the column's own type (PgSerial or PgBigSerial53), which indexing by a type parameter loses.
  id: seriesIds[id]() as ReturnType<(typeof seriesIds)[K]>,
  timestamp: utcNow("timestamp"),
});

/**
 * The indexes of rows read by time: one on time (`<table>_ts_idx`), and one `<table>_<name>_ts_idx` on
 * (column, timestamp) for each of `by`.
 */
export function timeIndexes(table: string, timestamp: AnyPgColumn, by: Record<string, AnyPgColumn> = {}) {
  return [
    index(`${table}_ts_idx`).on(timestamp),
    ...Object.entries(by).map(([name, column]) => index(`${table}_${name}_ts_idx`).on(column, timestamp)),
  ];
}

/**
 * The keys of a time series partitioned by `timestamp` that is not per device (request logs, user activities, error
 * logs, whose device is optional): the primary key holds the partition column (id, timestamp), and the time indexes.
 */
export function timeSeriesKeys(
  table: string,
  t: { id: AnyPgColumn; timestamp: AnyPgColumn },
  by: Record<string, AnyPgColumn> = {},
) {
  return [primaryKey({ columns: [t.id, t.timestamp] }), ...timeIndexes(table, t.timestamp, by)];
}

/**
 * The keys of a per-device time series (every row belongs to one device), partitioned by `timestamp`: the primary key
 * (device_id, timestamp, id) leads with the device, the column a distributed PostgreSQL (Citus) distributes these
 * tables by and needs in every unique key; it is also the index of the per-device queries. Plus an index on time and
 * one on id (not unique) for the readers that walk rows in id order (rollup watermark, exports).
 */
export function deviceSeriesKeys(table: string, t: { id: AnyPgColumn; timestamp: AnyPgColumn; deviceId: AnyPgColumn }) {
  return [
    primaryKey({ columns: [t.deviceId, t.timestamp, t.id] }),
    index(`${table}_ts_idx`).on(t.timestamp),
    index(`${table}_id_idx`).on(t.id),
  ];
}
