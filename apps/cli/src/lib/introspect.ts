import { allTables, type Db, productTableNames, type TableName } from "@homepot/db";
import { type SQL, sql } from "drizzle-orm";
import { CliError } from "./cli-error.ts";

export interface ColumnInfo {
  name: string;
  /** The SQL type as psql shows it, e.g. `character varying(255)`, `timestamp without time zone`. */
  type: string;
  dataType: string;
  nullable: boolean;
  default: string | null;
}

/** Columns that hold secrets (hashes of passwords and keys): never printed by the CLI. */
export function isSecretColumn(name: string): boolean {
  return /(^|_)(hash|hashed|password|secret|token)(_|$)|^api_key$/.test(name);
}

export const tableNames = Object.keys(allTables) as TableName[];

/** A table the CLI may read; anything else is refused (names are interpolated as identifiers). */
export function requireTable(name: string | undefined): TableName {
  if (!name) throw new CliError(`missing <table>; one of: ${productTableNames.join(", ")}`, 2);
  if (!(tableNames as string[]).includes(name)) {
    throw new CliError(`unknown table "${name}"; one of: ${tableNames.join(", ")}`, 2);
  }
  return name as TableName;
}

/** Rows of a raw query; both drivers answer `{ rows }`. */
export async function selectRows(db: Db, query: SQL): Promise<Record<string, unknown>[]> {
  const result = (await db.execute(query)) as { rows: Record<string, unknown>[] };
  return result.rows;
}

export async function tableColumns(db: Db, table: string): Promise<ColumnInfo[]> {
  const rows = await selectRows(
    db,
    sql`
    select column_name, data_type, character_maximum_length, is_nullable, column_default
    from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}
    order by ordinal_position`,
  );
  return rows.map((r) => {
    const dataType = String(r.data_type);
    const length = r.character_maximum_length == null ? null : Number(r.character_maximum_length);
    return {
      name: String(r.column_name),
      dataType,
      type: length ? `${dataType}(${length})` : dataType,
      nullable: r.is_nullable === "YES",
      default: r.column_default == null ? null : String(r.column_default),
    };
  });
}

/**
 * Rows as JSON-friendly values whatever the driver: UTC timestamps as ISO strings, bigints as numbers
 * (node-postgres returns them as text), json as objects.
 */
export function normaliseRow(row: Record<string, unknown>, columns: ColumnInfo[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    if (!(c.name in row)) continue;
    const v = row[c.name];
    if (v === null || v === undefined) out[c.name] = null;
    else if (c.dataType === "timestamp without time zone" && typeof v === "string")
      out[c.name] = `${v.replace(" ", "T")}Z`;
    else if (v instanceof Date) out[c.name] = v.toISOString();
    else if (c.dataType === "bigint" && typeof v === "string" && Number.isSafeInteger(Number(v)))
      out[c.name] = Number(v);
    else out[c.name] = v;
  }
  return out;
}
