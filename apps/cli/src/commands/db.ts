import { loadConfig } from "@homepot/core";
import { readLiveServerState } from "@homepot/core/server-state";
import { migrateDatabase, productTableNames } from "@homepot/db";
import { type SQL, sql } from "drizzle-orm";
import { parse } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { type CliDatabase, embeddedDatabaseUrl, openCliDatabase } from "../lib/database.ts";
import {
  type ColumnInfo,
  isSecretColumn,
  normaliseRow,
  requireTable,
  selectRows,
  tableColumns,
} from "../lib/introspect.ts";
import { formatTable, print, printJson } from "../lib/output.ts";

export const summary = "inspect the database: count | query <table> | schema <table> | migrate | url";

const HELP = `Usage: homepot db <subcommand>

  count                      rows in each of the 14 tables            [--json]
  query <table>              newest rows of a table                   [--limit N] [--where col=value …] [--json]
                             --where takes col=value, col!=value, col>value, col<value, col>=value, col<=value
  schema <table>             columns, types and nullability           [--json]
  migrate                    apply pending migrations
  url                        the running server's embedded database as a postgres:// URL with its
                             password (for psql and other tools)        [--json]

The database is DATABASE_URL, or the embedded one in HOMEPOT_DATA_DIR (through the running server's
wire port when a server holds it).`;

const handlers = { count, query, schema, migrate, url };
export const subcommands = Object.keys(handlers);

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const wantsHelp = rest.includes("--help") || rest.includes("-h");
  if (!sub || sub === "--help" || sub === "-h" || sub === "help" || wantsHelp) {
    print(HELP);
    return sub ? 0 : 2;
  }
  const handler = handlers[sub as keyof typeof handlers];
  if (!handler) throw new CliError(`unknown subcommand "${sub}"; one of ${subcommands.join(", ")}`, 2);
  return handler(rest);
}

async function withDatabase<T>(fn: (database: CliDatabase) => Promise<T>, migrate = true): Promise<T> {
  const database = await openCliDatabase(undefined, { migrate });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function count(argv: string[]): Promise<number> {
  const { values } = parse(argv, { json: { type: "boolean" } });
  return withDatabase(async (database) => {
    const counts: Record<string, number> = {};
    for (const table of productTableNames) {
      const [row] = await selectRows(database.db, sql`select count(*)::bigint as n from ${sql.identifier(table)}`);
      counts[table] = Number(row?.n ?? 0);
    }
    if (values.json) {
      printJson(counts);
      return 0;
    }
    print(`# ${database.source}`);
    const rows = Object.entries(counts).map(([table, rowsCount]) => ({ table, rows: rowsCount }));
    rows.push({ table: "total", rows: Object.values(counts).reduce((a, b) => a + b, 0) });
    print(formatTable(rows));
    return 0;
  });
}

const OPERATORS = ["!=", ">=", "<=", "=", ">", "<"] as const;
type Operator = (typeof OPERATORS)[number];

/** `col=value` → a typed condition; the column must exist, the value is always a bound parameter. */
export function parseWhere(expr: string, columns: ColumnInfo[]): SQL {
  const match = /^([a-z_][a-z0-9_]*)\s*(!=|>=|<=|=|>|<)(.*)$/i.exec(expr);
  if (!match) throw new CliError(`--where "${expr}": expected column=value (or != > < >= <=)`, 2);
  const [, name = "", op = "=", raw = ""] = match;
  const column = columns.find((c) => c.name === name);
  if (!column)
    throw new CliError(`--where: unknown column "${name}"; columns: ${columns.map((c) => c.name).join(", ")}`, 2);
  const ident = sql.identifier(column.name);
  if (raw.toLowerCase() === "null" && (op === "=" || op === "!=")) {
    return op === "=" ? sql`${ident} is null` : sql`${ident} is not null`;
  }
  const operator = sql.raw(op as Operator);
  // Equality compares as text (works for every type, json included); order comparisons use the column's type.
  if (op === "=" || op === "!=") return sql`${ident}::text ${operator} ${raw}`;
  if (column.dataType === "json" || column.dataType === "jsonb")
    throw new CliError(`--where: cannot order-compare json column "${name}"`, 2);
  return sql`${ident} ${operator} cast(${raw} as ${sql.raw(castType(column))})`;
}

function castType(column: ColumnInfo): string {
  if (column.dataType.startsWith("character")) return "text";
  // information_schema data types are valid SQL type names (integer, double precision, timestamp without time zone…).
  return column.dataType;
}

/** Newest first: by the table's time column when it has one, then by id. */
function orderBy(columns: ColumnInfo[]): SQL | undefined {
  const names = new Set(columns.map((c) => c.name));
  const keys = ["timestamp", "created_at", "bucket_start", "updated_at"].filter((n) => names.has(n)).slice(0, 1);
  if (names.has("id")) keys.push("id");
  if (keys.length === 0) return undefined;
  return sql.join(
    keys.map((k) => sql`${sql.identifier(k)} desc`),
    sql`, `,
  );
}

async function query(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    limit: { type: "string", short: "n", default: "20" },
    where: { type: "string", short: "w", multiple: true },
    json: { type: "boolean" },
  });
  const table = requireTable(positionals[0]);
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
    throw new CliError("--limit must be an integer from 1 to 100000", 2);
  return withDatabase(async (database) => {
    const columns = await tableColumns(database.db, table);
    const visible = columns.filter((c) => !isSecretColumn(c.name));
    const conditions = (values.where ?? []).map((w) => parseWhere(w, columns));
    const order = orderBy(columns);
    const statement = sql`select ${sql.join(
      visible.map((c) => sql.identifier(c.name)),
      sql`, `,
    )} from ${sql.identifier(table)}`;
    if (conditions.length > 0) statement.append(sql` where ${sql.join(conditions, sql` and `)}`);
    if (order) statement.append(sql` order by ${order}`);
    statement.append(sql` limit ${limit}`);
    const rows = (await selectRows(database.db, statement)).map((r) => normaliseRow(r, visible));
    if (values.json) {
      printJson(rows);
      return 0;
    }
    print(`# ${table}: ${rows.length} row(s), newest first — ${database.source}`);
    print(
      rows.length > 0
        ? formatTable(
            rows,
            visible.map((c) => c.name),
          )
        : "(no rows)",
    );
    return 0;
  });
}

async function schema(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: "boolean" } });
  const table = requireTable(positionals[0]);
  return withDatabase(async (database) => {
    const columns = await tableColumns(database.db, table);
    if (values.json) {
      printJson(columns.map((c) => ({ column: c.name, type: c.type, nullable: c.nullable, default: c.default })));
      return 0;
    }
    print(`# ${table} — ${database.source}`);
    print(
      formatTable(
        columns.map((c) => ({
          column: c.name,
          type: c.type,
          nullable: c.nullable ? "yes" : "no",
          default: c.default ?? "",
        })),
      ),
    );
    return 0;
  });
}

async function migrate(argv: string[]): Promise<number> {
  parse(argv, {});
  return withDatabase(async (database) => {
    const before = await appliedMigrations(database);
    await migrateDatabase(database);
    const after = await appliedMigrations(database);
    print(`# ${database.source}`);
    print(
      after > before
        ? `applied ${after - before} migration(s); ${after} in total`
        : `up to date (${after} migrations applied)`,
    );
    return 0;
  }, false);
}

/**
 * Prints the wire-port URL of the running server's embedded database, password included: whoever can read
 * the data dir (the server's user) may use it, nobody else can.
 */
async function url(argv: string[]): Promise<number> {
  const { values } = parse(argv, { json: { type: "boolean" } });
  const config = loadConfig();
  if (config.databaseUrl)
    throw new CliError("DATABASE_URL is set: the server uses that PostgreSQL, not an embedded database", 1);
  const live = readLiveServerState(config);
  if (!live?.pgPort)
    throw new CliError(`no running server holds the embedded database in ${config.dataDir}; start homepot-server`, 1);
  const address = embeddedDatabaseUrl(config, live.pgPort);
  if (values.json) printJson({ url: address, port: live.pgPort, user: "postgres", database: "postgres" });
  else print(address);
  return 0;
}

async function appliedMigrations(database: CliDatabase): Promise<number> {
  try {
    const [row] = await selectRows(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    return Number(row?.n ?? 0);
  } catch {
    return 0;
  }
}
