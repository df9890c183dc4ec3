import type { Db, ProductTableName } from "@homepot/db";
import { productTableNames } from "@homepot/db";
import { type SQL, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { queryRows, utcParam } from "./page.ts";

/**
 * The data-collection validation report of the seed documents (database-metrics-validation), automated:
 * per table the schema against the documented columns and types, row count, NULL rate per column,
 * freshness, range violations, referential checks, and a verdict on readiness for AI training.
 */

type ExpectedType = "integer" | "double" | "text" | "json" | "boolean" | "timestamp" | "time" | `varchar(${number})`;
interface ExpectedColumn {
  name: string;
  type: ExpectedType;
  /** Must never be NULL: a NULL here makes the table not ready. */
  required?: boolean;
}
interface Check {
  name: string;
  /** Predicate matching the violating rows of the table `t`. */
  where: SQL;
  kind: "range" | "reference";
  severity: "error" | "warning";
}
interface TableSpec {
  time?: string;
  columns: ExpectedColumn[];
  checks?: Check[];
  /** Newest row older than this is a collection gap (not ready). */
  maxAgeS?: number;
}

const col = (name: string, type: ExpectedType, required = false): ExpectedColumn => ({ name, type, required });
const id = col("id", "integer", true);
const pct = (c: string): Check => ({
  name: `${c} outside 0–100`,
  where: sql`t.${sql.identifier(c)} < 0 or t.${sql.identifier(c)} > 100`,
  kind: "range",
  severity: "error",
});
const nonNeg = (c: string): Check => ({
  name: `negative ${c}`,
  where: sql`t.${sql.identifier(c)} < 0`,
  kind: "range",
  severity: "error",
});
const httpStatus = (c: string): Check => ({
  name: `${c} not an HTTP status`,
  where: sql`t.${sql.identifier(c)} < 100 or t.${sql.identifier(c)} > 599`,
  kind: "range",
  severity: "error",
});
const deviceRef = (c: string, severity: "error" | "warning" = "error"): Check => ({
  name: `${c} not a known device`,
  where: sql`t.${sql.identifier(c)} is not null and not exists (select 1 from devices d where d.device_id = t.${sql.identifier(c)})`,
  kind: "reference",
  severity,
});
const siteRef = (c: string): Check => ({
  name: `${c} not a known site`,
  where: sql`t.${sql.identifier(c)} is not null and not exists (select 1 from sites s where s.site_id = t.${sql.identifier(c)})`,
  kind: "reference",
  severity: "error",
});

/** Columns and types as documented in seeds/database-metrics-validation.txt §1–14. */
export const EXPECTED_SCHEMA: Record<ProductTableName, TableSpec> = {
  health_checks: {
    time: "timestamp",
    columns: [
      id,
      col("device_id", "integer", true),
      col("is_healthy", "boolean", true),
      col("response_time_ms", "integer"),
      col("status_code", "integer", true),
      col("endpoint", "varchar(200)"),
      col("response_data", "json"),
      col("error_message", "text"),
      col("timestamp", "timestamp", true),
    ],
    checks: [
      nonNeg("response_time_ms"),
      httpStatus("status_code"),
      {
        name: "device_id not a known device",
        where: sql`not exists (select 1 from devices d where d.id = t.device_id)`,
        kind: "reference",
        severity: "error",
      },
    ],
  },
  device_metrics: {
    time: "timestamp",
    maxAgeS: 300,
    columns: [
      id,
      col("timestamp", "timestamp", true),
      col("device_id", "varchar(255)", true),
      col("cpu_percent", "double"),
      col("memory_percent", "double"),
      col("disk_percent", "double"),
      col("network_latency_ms", "double"),
      col("transaction_count", "integer"),
      col("transaction_volume", "double"),
      col("error_rate", "double"),
      col("active_connections", "integer"),
      col("queue_depth", "integer"),
      col("extra_metrics", "json"),
    ],
    checks: [
      pct("cpu_percent"),
      pct("memory_percent"),
      pct("disk_percent"),
      pct("error_rate"),
      nonNeg("network_latency_ms"),
      nonNeg("transaction_count"),
      nonNeg("transaction_volume"),
      nonNeg("active_connections"),
      nonNeg("queue_depth"),
      deviceRef("device_id"),
    ],
  },
  api_request_logs: {
    time: "timestamp",
    columns: [
      id,
      col("timestamp", "timestamp", true),
      col("endpoint", "varchar(255)", true),
      col("method", "varchar(10)", true),
      col("status_code", "integer", true),
      col("response_time_ms", "double", true),
      col("user_id", "varchar(255)"),
      col("ip_address", "varchar(45)"),
      col("user_agent", "varchar(500)"),
      col("error_message", "text"),
      col("request_size_bytes", "integer"),
      col("response_size_bytes", "integer"),
    ],
    checks: [
      nonNeg("response_time_ms"),
      httpStatus("status_code"),
      nonNeg("request_size_bytes"),
      nonNeg("response_size_bytes"),
      deviceRef("device_id", "warning"),
    ],
  },
  device_state_history: {
    time: "timestamp",
    columns: [
      id,
      col("timestamp", "timestamp", true),
      col("device_id", "varchar(255)", true),
      col("previous_state", "varchar(50)"),
      col("new_state", "varchar(50)", true),
      col("changed_by", "varchar(255)", true),
      col("reason", "varchar(500)"),
      col("extra_data", "json"),
    ],
    checks: [deviceRef("device_id")],
  },
  configuration_history: {
    time: "timestamp",
    columns: [
      id,
      col("timestamp", "timestamp", true),
      col("entity_type", "varchar(50)", true),
      col("entity_id", "varchar(255)", true),
      col("parameter_name", "varchar(255)", true),
      col("old_value", "json"),
      col("new_value", "json"),
      col("changed_by", "varchar(255)", true),
      col("change_reason", "text"),
      col("change_type", "varchar(50)", true),
      col("performance_before", "json"),
      col("performance_after", "json"),
      col("was_successful", "boolean"),
      col("was_rolled_back", "boolean", true),
    ],
    checks: [
      {
        name: "device entity_id not a known device",
        where: sql`t.entity_type = 'device' and not exists (select 1 from devices d where d.device_id = t.entity_id)`,
        kind: "reference",
        severity: "error",
      },
      {
        name: "site entity_id not a known site",
        where: sql`t.entity_type = 'site' and not exists (select 1 from sites s where s.site_id = t.entity_id)`,
        kind: "reference",
        severity: "error",
      },
    ],
  },
  site_operating_schedules: {
    columns: [
      id,
      col("site_id", "varchar(255)", true),
      col("day_of_week", "integer", true),
      col("open_time", "time"),
      col("close_time", "time"),
      col("is_closed", "boolean", true),
      col("is_maintenance_window", "boolean", true),
      col("expected_transaction_volume", "integer"),
      col("peak_hours_start", "time"),
      col("peak_hours_end", "time"),
      col("notes", "text"),
      col("special_considerations", "json"),
    ],
    checks: [
      {
        name: "day_of_week outside 0–6",
        where: sql`t.day_of_week < 0 or t.day_of_week > 6`,
        kind: "range",
        severity: "error",
      },
      nonNeg("expected_transaction_volume"),
      siteRef("site_id"),
    ],
  },
  audit_logs: {
    time: "created_at",
    columns: [
      id,
      col("created_at", "timestamp", true),
      col("event_type", "varchar(50)", true),
      col("description", "text"),
      col("user_id", "integer"),
      col("job_id", "integer"),
      col("device_id", "integer"),
      col("site_id", "integer"),
      col("old_values", "json"),
      col("new_values", "json"),
      col("event_metadata", "json"),
      col("ip_address", "varchar(45)"),
      col("user_agent", "varchar(500)"),
    ],
    checks: [
      {
        name: "device_id not a known device",
        where: sql`t.device_id is not null and not exists (select 1 from devices d where d.id = t.device_id)`,
        kind: "reference",
        severity: "warning",
      },
      {
        name: "user_id not a known user",
        where: sql`t.user_id is not null and not exists (select 1 from users u where u.id = t.user_id)`,
        kind: "reference",
        severity: "warning",
      },
    ],
  },
  error_logs: {
    time: "timestamp",
    columns: [
      id,
      col("timestamp", "timestamp", true),
      col("category", "varchar(50)", true),
      col("severity", "varchar(20)", true),
      col("error_code", "varchar(50)"),
      col("error_message", "text", true),
      col("stack_trace", "text"),
      col("endpoint", "varchar(255)"),
      col("user_id", "varchar(255)"),
      col("device_id", "varchar(255)"),
      col("context", "json"),
      col("resolved", "boolean", true),
      col("resolved_at", "timestamp"),
    ],
    // Failed device authentications are logged with the unknown id they claimed: a warning, not corruption.
    checks: [deviceRef("device_id", "warning")],
  },
  jobs: {
    time: "created_at",
    columns: [
      id,
      col("job_id", "varchar(100)", true),
      col("action", "varchar(100)", true),
      col("status", "varchar(20)", true),
      col("priority", "varchar(20)", true),
      col("site_id", "integer"),
      col("segment", "varchar(100)"),
      col("payload", "json"),
      col("config_url", "varchar(500)"),
      col("config_version", "varchar(50)"),
      col("error_message", "text"),
      col("created_at", "timestamp", true),
      col("completed_at", "timestamp"),
    ],
    checks: [
      { name: "completed before created", where: sql`t.completed_at < t.created_at`, kind: "range", severity: "error" },
    ],
  },
  job_outcomes: {
    time: "timestamp",
    columns: [
      id,
      col("timestamp", "timestamp", true),
      col("job_id", "varchar(255)", true),
      col("job_type", "varchar(100)"),
      col("device_id", "varchar(255)"),
      col("status", "varchar(50)", true),
      col("duration_ms", "integer"),
      col("error_code", "varchar(50)"),
      col("error_message", "text"),
      col("retry_count", "integer", true),
      col("initiated_by", "varchar(255)"),
      col("extra_data", "json"),
    ],
    checks: [
      nonNeg("duration_ms"),
      nonNeg("retry_count"),
      deviceRef("device_id"),
      {
        name: "job_id not a known job",
        where: sql`not exists (select 1 from jobs j where j.job_id = t.job_id)`,
        kind: "reference",
        severity: "error",
      },
    ],
  },
  devices: {
    time: "created_at",
    columns: [
      id,
      col("device_id", "varchar(100)", true),
      col("name", "varchar(100)", true),
      col("device_type", "varchar(50)", true),
      col("status", "varchar(20)", true),
      col("site_id", "varchar(20)", true),
      col("ip_address", "varchar(45)"),
      col("config", "json"),
      col("is_active", "boolean", true),
      col("last_seen", "timestamp"),
    ],
    checks: [siteRef("site_id")],
  },
  sites: {
    time: "created_at",
    columns: [
      id,
      col("site_id", "varchar(50)", true),
      col("name", "varchar(100)", true),
      col("description", "text"),
      col("location", "varchar(200)"),
      col("is_active", "boolean", true),
      col("created_at", "timestamp", true),
    ],
  },
  users: {
    time: "created_at",
    columns: [
      id,
      col("username", "varchar(50)", true),
      col("email", "varchar(100)", true),
      col("hashed_password", "varchar(255)", true),
      col("api_key", "varchar(255)"),
      col("is_active", "boolean", true),
      col("is_admin", "boolean", true),
      col("created_at", "timestamp", true),
    ],
  },
  user_activities: {
    time: "timestamp",
    columns: [
      id,
      col("timestamp", "timestamp", true),
      col("user_id", "varchar(255)", true),
      col("session_id", "varchar(255)"),
      col("activity_type", "varchar(50)", true),
      col("page_url", "varchar(500)"),
      col("element_id", "varchar(255)"),
      col("search_query", "text"),
      col("extra_data", "json"),
      col("duration_ms", "integer"),
    ],
    checks: [nonNeg("duration_ms")],
  },
};

export interface ColumnReport {
  name: string;
  type: string;
  required: boolean;
  nulls: number;
  null_rate: number;
}
export interface Violation {
  check: string;
  kind: "range" | "reference" | "future" | "null";
  severity: "error" | "warning";
  count: number;
  sample_ids: number[];
}
/**
 * `no_rows_yet`: the table is sound but nothing was collected yet (a fresh install), which is not a failure;
 * `not_ready`: something is wrong (schema, NULLs, ranges, a collection gap).
 */
export type TableStatus = "ready" | "no_rows_yet" | "not_ready";
export const NO_ROWS_YET = "no rows collected yet";

export interface TableReport {
  table: ProductTableName;
  ready: boolean;
  status: TableStatus;
  reasons: string[];
  warnings: string[];
  row_count: number;
  schema: {
    ok: boolean;
    missing: string[];
    mismatched: { column: string; expected: string; actual: string }[];
    extra: string[];
  };
  columns: ColumnReport[];
  freshness: {
    column: string;
    newest: string | null;
    age_s: number | null;
    max_age_s: number | null;
    stale: boolean;
  } | null;
  violations: Violation[];
}
export interface ValidationReport {
  generated_at: string;
  ready: boolean;
  /** not_ready counts every table that is not ready, no_rows_yet those of them that are only empty. */
  summary: { tables: number; ready: number; not_ready: number; no_rows_yet: number };
  tables: TableReport[];
}

/** Allowed clock skew before a timestamp counts as "in the future". */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const SAMPLE = 5;

export interface ValidateOptions {
  tables?: ProductTableName[];
  /** Called before each table (a long validation shows progress). */
  onTable?: (table: ProductTableName, index: number, total: number) => void;
}

export async function validateData(ctx: Context, options: ValidateOptions = {}): Promise<ValidationReport> {
  const now = ctx.clock.now();
  const tables = options.tables ?? productTableNames;
  const reports: TableReport[] = [];
  for (const [i, table] of tables.entries()) {
    options.onTable?.(table, i, tables.length);
    reports.push(await validateTable(ctx.db, table, now));
  }
  const ready = reports.filter((r) => r.ready).length;
  const noRowsYet = reports.filter((r) => r.status === "no_rows_yet").length;
  return {
    generated_at: now.toISOString(),
    ready: ready === reports.length,
    summary: { tables: reports.length, ready, not_ready: reports.length - ready, no_rows_yet: noRowsYet },
    tables: reports,
  };
}

function actualType(r: { data_type: string; character_maximum_length: number | string | null }): string {
  switch (r.data_type) {
    case "character varying":
      return r.character_maximum_length == null ? "varchar" : `varchar(${r.character_maximum_length})`;
    case "double precision":
      return "double";
    case "timestamp without time zone":
      return "timestamp";
    case "time without time zone":
      return "time";
    case "bigint":
    case "smallint":
      return "integer";
    default:
      return r.data_type;
  }
}

async function validateTable(db: Db, table: ProductTableName, now: Date): Promise<TableReport> {
  const spec = EXPECTED_SCHEMA[table];
  const reasons: string[] = [];
  const warnings: string[] = [];
  const info = await queryRows<{
    column_name: string;
    data_type: string;
    character_maximum_length: number | string | null;
  }>(
    db,
    sql`select column_name, data_type, character_maximum_length from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} order by ordinal_position`,
  );
  const report: TableReport = {
    table,
    ready: false,
    status: "not_ready",
    reasons,
    warnings,
    row_count: 0,
    schema: { ok: true, missing: [], mismatched: [], extra: [] },
    columns: [],
    freshness: null,
    violations: [],
  };
  if (info.length === 0) {
    report.schema = { ok: false, missing: spec.columns.map((c) => c.name), mismatched: [], extra: [] };
    reasons.push("table does not exist");
    return report;
  }
  const actual = new Map(info.map((r) => [r.column_name, actualType(r)]));
  for (const c of spec.columns) {
    const a = actual.get(c.name);
    if (a === undefined) report.schema.missing.push(c.name);
    else if (a !== c.type) report.schema.mismatched.push({ column: c.name, expected: c.type, actual: a });
  }
  const expectedNames = new Set(spec.columns.map((c) => c.name));
  report.schema.extra = info.map((r) => r.column_name).filter((n) => !expectedNames.has(n));
  report.schema.ok = report.schema.missing.length === 0 && report.schema.mismatched.length === 0;
  if (report.schema.missing.length) reasons.push(`schema: missing column(s) ${report.schema.missing.join(", ")}`);
  for (const m of report.schema.mismatched) reasons.push(`schema: ${m.column} is ${m.actual}, expected ${m.expected}`);

  // Row count and NULLs per column in one scan.
  const present = info.map((r) => r.column_name);
  const counts = await queryRows<Record<string, string | number>>(
    db,
    sql`select count(*) as n, ${sql.join(
      present.map((c, i) => sql`count(${sql.identifier(c)}) as ${sql.identifier(`c${i}`)}`),
      sql`, `,
    )} from ${sql.identifier(table)}`,
  );
  const n = Number(counts[0]?.n ?? 0);
  report.row_count = n;
  const requiredNames = new Set(spec.columns.filter((c) => c.required).map((c) => c.name));
  report.columns = present.map((name, i) => {
    const nonNull = Number(counts[0]?.[`c${i}`] ?? 0);
    const nulls = n - nonNull;
    return {
      name,
      type: actual.get(name) ?? "",
      required: requiredNames.has(name),
      nulls,
      null_rate: n === 0 ? 0 : round(nulls / n),
    };
  });
  if (n === 0) reasons.push(NO_ROWS_YET);

  const t = sql`${sql.identifier(table)} t`;
  const sampleOf = async (where: SQL) =>
    (
      await queryRows<{ id: number | string }>(
        db,
        sql`select t.id from ${t} where ${where} order by t.id desc limit ${SAMPLE}`,
      )
    ).map((r) => Number(r.id));
  const countOf = async (where: SQL) =>
    Number(
      (await queryRows<{ n: number | string }>(db, sql`select count(*) as n from ${t} where ${where}`))[0]?.n ?? 0,
    );

  if (n > 0) {
    for (const c of report.columns) {
      if (c.required && c.nulls > 0) {
        const where = sql`t.${sql.identifier(c.name)} is null`;
        report.violations.push({
          check: `${c.name} is NULL`,
          kind: "null",
          severity: "error",
          count: c.nulls,
          sample_ids: await sampleOf(where),
        });
        reasons.push(`${c.nulls} row(s) with NULL ${c.name} (must not be NULL)`);
      } else if (!c.required && c.null_rate === 1 && spec.columns.some((e) => e.name === c.name)) {
        warnings.push(`${c.name} is always NULL`);
      }
    }

    // Future timestamps in every time column.
    const limit = new Date(now.getTime() + FUTURE_TOLERANCE_MS);
    for (const c of report.columns.filter((c) => c.type === "timestamp")) {
      const where = sql`t.${sql.identifier(c.name)} > ${utcParam(limit)}`;
      const count = await countOf(where);
      if (count > 0) {
        report.violations.push({
          check: `${c.name} in the future`,
          kind: "future",
          severity: "error",
          count,
          sample_ids: await sampleOf(where),
        });
        reasons.push(`${count} row(s) with ${c.name} in the future`);
      }
    }

    for (const check of spec.checks ?? []) {
      // Checks on columns this database lacks are reported by the schema check instead.
      const count = await countOf(check.where).catch(() => undefined);
      if (!count) continue;
      report.violations.push({
        check: check.name,
        kind: check.kind,
        severity: check.severity,
        count,
        sample_ids: await sampleOf(check.where),
      });
      (check.severity === "error" ? reasons : warnings).push(`${count} row(s): ${check.name}`);
    }
  }

  if (spec.time && actual.has(spec.time)) {
    const [row] = await queryRows<{ newest: string | null }>(
      db,
      sql`select max(${sql.identifier(spec.time)})::text as newest from ${sql.identifier(table)}`,
    );
    const newest = row?.newest ? new Date(`${row.newest.replace(" ", "T")}Z`) : null;
    const ageS = newest ? Math.round((now.getTime() - newest.getTime()) / 1000) : null;
    const maxAge = spec.maxAgeS ?? null;
    const stale = maxAge !== null && (ageS === null || ageS > maxAge);
    report.freshness = {
      column: spec.time,
      newest: newest?.toISOString() ?? null,
      age_s: ageS,
      max_age_s: maxAge,
      stale,
    };
    if (stale && newest)
      reasons.push(`collection gap: newest row is ${formatAge(ageS ?? 0)} old (more than ${formatAge(maxAge ?? 0)})`);
    if (table === "device_metrics" && n > 0) {
      const gaps = await deviceMetricGaps(db, now, maxAge ?? 300);
      if (gaps > 0)
        warnings.push(
          `${gaps} gap(s) longer than ${formatAge(maxAge ?? 300)} between a device's samples in the last 24 h`,
        );
    }
  }

  report.ready = reasons.length === 0;
  report.status = report.ready ? "ready" : reasons.every((r) => r === NO_ROWS_YET) ? "no_rows_yet" : "not_ready";
  return report;
}

/** Gaps between consecutive samples of a device, over the last day (index device_id, timestamp). */
async function deviceMetricGaps(db: Db, now: Date, maxGapS: number): Promise<number> {
  const since = new Date(now.getTime() - 86_400_000);
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from (
          select "timestamp" - lag("timestamp") over (partition by device_id order by "timestamp") as gap
          from device_metrics where "timestamp" >= ${utcParam(since)}) g
        where g.gap > make_interval(secs => ${maxGapS})`,
  );
  return Number(row?.n ?? 0);
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

export function formatAge(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}
