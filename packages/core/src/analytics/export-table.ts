import { createHmac } from "node:crypto";
import type { Db, ProductTableName } from "@homepot/db";
import { type SQL, sql } from "drizzle-orm";
import { localSecret } from "../config.ts";
import { type Context, readDb } from "../context.ts";
import { inScope, type RowScope } from "../tenants/authorize.ts";
import { queryRows, utcParam } from "./page.ts";

/**
 * Export of a table for ML: streamed in id order over a time range, secrets never included, personal
 * data pseudonymised with a keyed HMAC (the same id gives the same pseudonym within one export key,
 * and it cannot be reversed without the key).
 */

export type ExportKind = "int" | "bigint" | "float" | "bool" | "text" | "timestamp" | "json";
export interface ExportColumn {
  name: string;
  kind: ExportKind;
  /** How the value is pseudonymised, if it is personal data. */
  pseudo?: "user" | "user-label" | "ip";
}
export interface ExportOptions {
  table: ProductTableName;
  from?: Date | undefined;
  to?: Date | undefined;
  /** The HMAC key of the pseudonyms. */
  key: string;
  batchSize?: number;
}

/** The time column the range applies to. */
export const EXPORT_TIME_COLUMN: Record<ProductTableName, string> = {
  sites: "created_at",
  devices: "created_at",
  users: "created_at",
  jobs: "created_at",
  health_checks: "timestamp",
  audit_logs: "created_at",
  api_request_logs: "timestamp",
  user_activities: "timestamp",
  device_state_history: "timestamp",
  job_outcomes: "timestamp",
  error_logs: "timestamp",
  device_metrics: "timestamp",
  configuration_history: "timestamp",
  site_operating_schedules: "updated_at",
};

const col = (name: string) => sql`${sql.identifier(name)}`;
/** How each table's rows belong to sites, so an export holds only what its caller may see. */
export const EXPORT_SCOPE: Record<ProductTableName, RowScope> = {
  sites: { site: col("site_id") },
  devices: { site: col("site_id") },
  users: { platform: true },
  jobs: { job: { siteKey: col("site_id"), deviceIds: col("device_ids") } },
  health_checks: { deviceKey: col("device_id") },
  audit_logs: { platform: true },
  api_request_logs: { platform: true },
  user_activities: { platform: true },
  device_state_history: { device: col("device_id") },
  job_outcomes: { device: col("device_id") },
  error_logs: { device: col("device_id") },
  device_metrics: { device: col("device_id") },
  configuration_history: { entity: { type: col("entity_type"), id: col("entity_id") } },
  site_operating_schedules: { site: col("site_id") },
};

/** Secrets (password and key hashes, key prefixes, tokens) and direct identifiers never leave the database. */
const SECRET = /(^|_)(hash|hashed|password|secret|token)(_|$)|^api_key($|_)|^previous_api_key/;
const DROPPED: Partial<Record<ProductTableName, string[]>> = { users: ["username", "email", "full_name"] };
/** Columns that hold a user's numeric id (as integer, or as text next to labels like "system"). */
const USER_COLUMNS: Partial<Record<ProductTableName, Record<string, "user" | "user-label">>> = {
  users: { id: "user" },
  jobs: { created_by: "user" },
  audit_logs: { user_id: "user" },
  api_request_logs: { user_id: "user-label" },
  user_activities: { user_id: "user-label" },
  error_logs: { user_id: "user-label", resolved_by: "user-label" },
  device_state_history: { changed_by: "user-label" },
  configuration_history: { changed_by: "user-label" },
  job_outcomes: { initiated_by: "user-label" },
};

export function isExportSecret(column: string): boolean {
  return SECRET.test(column);
}

function kindOf(dataType: string): ExportKind {
  switch (dataType) {
    case "integer":
    case "smallint":
      return "int";
    case "bigint":
      return "bigint";
    case "double precision":
    case "real":
    case "numeric":
      return "float";
    case "boolean":
      return "bool";
    case "timestamp without time zone":
    case "timestamp with time zone":
      return "timestamp";
    case "json":
    case "jsonb":
      return "json";
    default:
      return "text";
  }
}

/** The columns an export of `table` carries, in table order, with their export type. */
export async function exportColumns(db: Db, table: ProductTableName): Promise<ExportColumn[]> {
  const info = await queryRows<{ column_name: string; data_type: string }>(
    db,
    sql`select column_name, data_type from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} order by ordinal_position`,
  );
  const dropped = new Set(DROPPED[table] ?? []);
  return info
    .filter((c) => !isExportSecret(c.column_name) && !dropped.has(c.column_name))
    .map((c) => {
      const pseudo = USER_COLUMNS[table]?.[c.column_name] ?? (c.column_name === "ip_address" ? "ip" : undefined);
      // Pseudonymised values are text whatever the stored type.
      const kind = pseudo ? "text" : kindOf(c.data_type);
      return pseudo ? { name: c.column_name, kind, pseudo } : { name: c.column_name, kind };
    });
}

export class Pseudonymizer {
  constructor(private readonly key: string) {}
  of(namespace: string, value: string): string {
    return `${namespace[0]}_${createHmac("sha256", this.key).update(`${namespace}:${value}`).digest("hex").slice(0, 20)}`;
  }
  user(id: string | number): string {
    return this.of("user", String(id));
  }
  /** E-mail addresses inside free text (audit descriptions, error messages, json). */
  scrubText(text: string): string {
    return replaceEmails(text, (m) => this.of("email", m.toLowerCase()));
  }
}

const LOCAL = /[A-Za-z0-9._%+-]/;
const DOMAIN = /[A-Za-z0-9.-]/;
const LETTER = /[A-Za-z]/;

/**
 * Replaces what `/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g` matches, in linear time. That regex backtracks
 * quadratically on long runs without an "@" (a 2 MB json value froze the server for hours), so each "@" is instead
 * grown left over local-part characters and right over domain characters; neither run can cross another "@", so
 * every character is looked at a bounded number of times.
 */
export function replaceEmails(text: string, replace: (email: string) => string): string {
  let out = "";
  let done = 0; // end of the last match: the next local part cannot start before it
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    if (at < done) continue;
    let start = at;
    while (start > done && LOCAL.test(text[start - 1] as string)) start--;
    if (start === at) continue;
    let runEnd = at + 1;
    while (runEnd < text.length && DOMAIN.test(text[runEnd] as string)) runEnd++;
    // The regex's domain ends after the last "." (not the first domain character) that two letters follow.
    let end = -1;
    for (let dot = runEnd - 3; dot > at + 1; dot--) {
      if (text[dot] === "." && LETTER.test(text[dot + 1] as string) && LETTER.test(text[dot + 2] as string)) {
        end = dot + 3;
        while (end < runEnd && LETTER.test(text[end] as string)) end++;
        break;
      }
    }
    if (end === -1) continue;
    out += text.slice(done, start) + replace(text.slice(start, end));
    done = end;
  }
  return done === 0 ? text : out + text.slice(done);
}

function timeRange(column: string, from?: Date, to?: Date): SQL[] {
  const c = sql.identifier(column);
  return [...(from ? [sql`${c} >= ${utcParam(from)}`] : []), ...(to ? [sql`${c} < ${utcParam(to)}`] : [])];
}

export async function countExportRows(ctx: Context, options: Omit<ExportOptions, "key">): Promise<number> {
  const where = timeRange(EXPORT_TIME_COLUMN[options.table], options.from, options.to);
  const [row] = await queryRows<{ n: string | number }>(
    readDb(ctx),
    sql`select count(*) as n from ${sql.identifier(options.table)}${where.length ? sql` where ${sql.join(where, sql` and `)}` : sql``}`,
  );
  return Number(row?.n ?? 0);
}

/** Streams the rows of the export in batches (keyset on id), already pseudonymised and JSON-friendly. */
export async function* exportRows(
  ctx: Context,
  columns: ExportColumn[],
  options: ExportOptions,
): AsyncGenerator<Record<string, unknown>[]> {
  const batchSize = options.batchSize ?? 5000;
  const pseudo = new Pseudonymizer(options.key);
  const select = sql.join(
    columns.map((c) => {
      const ident = sql.identifier(c.name);
      // Timestamps as ISO text in SQL: no driver or process time zone can shift them.
      if (c.kind === "timestamp") return sql`to_char(${ident}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${ident}`;
      if (c.kind === "bigint" || c.pseudo) return sql`${ident}::text as ${ident}`;
      return ident;
    }),
    sql`, `,
  );
  const range = timeRange(EXPORT_TIME_COLUMN[options.table], options.from, options.to);
  let lastId = -1;
  for (;;) {
    const scoped = inScope(ctx, EXPORT_SCOPE[options.table], "analyze");
    const where = [...range, sql`id > ${lastId}`, ...(scoped ? [scoped] : [])];
    const rows = await queryRows<Record<string, unknown>>(
      readDb(ctx),
      sql`select id as __id, ${select} from ${sql.identifier(options.table)} where ${sql.join(where, sql` and `)} order by id limit ${batchSize}`,
    );
    if (rows.length === 0) return;
    lastId = Number(rows.at(-1)?.__id);
    yield rows.map((r) => shape(r, columns, pseudo));
    if (rows.length < batchSize) return;
  }
}

function shape(row: Record<string, unknown>, columns: ExportColumn[], pseudo: Pseudonymizer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    let v = row[c.name];
    if (v === undefined || v === null) {
      out[c.name] = null;
      continue;
    }
    if (c.pseudo === "user") v = pseudo.user(String(v));
    else if (c.pseudo === "user-label") v = /^\d+$/.test(String(v)) ? pseudo.user(String(v)) : String(v);
    else if (c.pseudo === "ip") v = pseudo.of("ip", String(v));
    else if (c.kind === "bigint") v = Number(v);
    else if (c.kind === "float" || c.kind === "int") v = Number(v);
    else if (c.kind === "json")
      v = JSON.parse(pseudo.scrubText(JSON.stringify(typeof v === "string" ? JSON.parse(v) : v)));
    else if (c.kind === "text") v = pseudo.scrubText(String(v));
    out[c.name] = v;
  }
  return out;
}

// ------------------------------------------------------------------ text formats

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`, as
 * OWASP's CSV-injection page recommends; numbers stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s = typeof v === "object" ? JSON.stringify(v) : String(v);
  if (typeof v === "string" && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export const csvHeader = (columns: ExportColumn[]) => `${columns.map((c) => csvCell(c.name)).join(",")}\r\n`;
export const csvLines = (columns: ExportColumn[], rows: Record<string, unknown>[]) =>
  rows.map((r) => `${columns.map((c) => csvCell(r[c.name])).join(",")}\r\n`).join("");
export const jsonLines = (rows: Record<string, unknown>[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join("");

/** The export key: HOMEPOT_EXPORT_KEY, else a random key kept (0600) in the data dir, shared by the CLI and the server. */
export function resolveExportKey(dataDir: string, explicit?: string): string {
  return explicit || process.env.HOMEPOT_EXPORT_KEY || localSecret(dataDir, "export-key");
}
