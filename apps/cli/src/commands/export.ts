import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { IsoDate } from "@homepot/contracts";
import { ProductTable } from "@homepot/contracts/analytics";
import { loadConfig, systemContext } from "@homepot/core";
import {
  countExportRows,
  csvHeader,
  csvLines,
  type ExportColumn,
  exportColumns,
  exportRows,
  jsonLines,
  resolveExportKey,
} from "@homepot/core/analytics/export-table";
import { type BasicType, type ColumnSource, fileWriter, ParquetWriter, schemaFromColumnData } from "hyparquet-writer";
import { parseCommand } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { openCliDatabase } from "../lib/database.ts";
import { ProgressBar } from "../lib/progress.ts";

export const summary = "export a table for ML (csv | jsonl | parquet), user ids pseudonymised, secrets left out";

const HELP = `Usage: homepot export <table> [--from DATE] [--to DATE] [--format csv|jsonl|parquet] [--out FILE]

  <table>          one of the 14 tables (e.g. device_metrics)
  --from, --to     time range (ISO date or datetime, UTC; --to is exclusive)
  --format         csv (default), jsonl or parquet
  --out FILE       where to write (default: stdout for csv/jsonl; required for parquet)
  --key KEY        HMAC key of the pseudonyms (default HOMEPOT_EXPORT_KEY, else a key kept in the data dir)
  --batch N        rows per database round trip (default 5000)
  --quiet          no progress bar on stderr

User ids (and IP and e-mail addresses) are replaced by keyed pseudonyms: stable within one key, not
reversible. Password and key hashes are never exported.`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, HELP, {
    from: { type: "string" },
    to: { type: "string" },
    format: { type: "string", default: "csv" },
    out: { type: "string", short: "o" },
    key: { type: "string" },
    batch: { type: "string" },
    quiet: { type: "boolean" },
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const table = ProductTable.safeParse(positionals[0]);
  if (!table.success)
    throw new CliError(
      `${positionals[0] ? `unknown table "${positionals[0]}"` : "missing <table>"}; one of ${ProductTable.options.join(", ")}`,
      2,
    );
  const format = values.format;
  if (format !== "csv" && format !== "jsonl" && format !== "parquet")
    throw new CliError(`--format: expected csv, jsonl or parquet, got "${format}"`, 2);
  if (format === "parquet" && !values.out) throw new CliError("--out FILE is required for parquet", 2);
  const from = date("--from", values.from);
  const to = date("--to", values.to);
  if (from && to && from > to) throw new CliError("--from must not be after --to", 2);
  const batchSize = values.batch === undefined ? 5000 : Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
    throw new CliError("--batch: expected an integer 1–100000", 2);

  const config = loadConfig();
  const database = await openCliDatabase(config);
  const ctx = systemContext(database.db, "cli-export");
  try {
    const options = { table: table.data, from, to, key: resolveExportKey(config.dataDir, values.key), batchSize };
    const columns = await exportColumns(database.db, table.data);
    const total = await countExportRows(ctx, options);
    const bar = new ProgressBar(`export ${table.data}`, !values.quiet);
    let written = 0;
    const progress = () => bar.update(total ? written / total : undefined, `${written}/${total} rows`);

    if (format === "parquet") {
      const writer = new ParquetWriter({
        writer: fileWriter(values.out as string),
        schema: schemaFromColumnData({ columnData: parquetColumns(columns, []) }),
      });
      for await (const rows of exportRows(ctx, columns, options)) {
        writer.write({ columnData: parquetColumns(columns, rows) });
        written += rows.length;
        progress();
      }
      writer.finish();
    } else {
      const out: NodeJS.WritableStream | WriteStream = values.out ? createWriteStream(values.out) : process.stdout;
      const write = async (text: string) => {
        if (!out.write(text)) await once(out, "drain");
      };
      if (format === "csv") await write(csvHeader(columns));
      for await (const rows of exportRows(ctx, columns, options)) {
        await write(format === "csv" ? csvLines(columns, rows) : jsonLines(rows));
        written += rows.length;
        progress();
      }
      if (out !== process.stdout) {
        (out as WriteStream).end();
        await once(out, "finish");
      }
    }
    bar.done(`${written} rows${values.out ? ` → ${values.out}` : ""}`);
    return 0;
  } finally {
    await database.close();
  }
}

function date(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = IsoDate.safeParse(value);
  if (!parsed.success) throw new CliError(`${flag}: expected an ISO date or datetime, got "${value}"`, 2);
  return parsed.data;
}

const PARQUET_TYPE: Record<ExportColumn["kind"], BasicType> = {
  int: "INT32",
  bigint: "INT64",
  float: "DOUBLE",
  bool: "BOOLEAN",
  text: "STRING",
  // INT64 TIMESTAMP_MILLIS: readers see a timestamp, not text (the export's timestamps carry milliseconds).
  timestamp: "TIMESTAMP",
  json: "JSON",
};

function parquetColumns(columns: ExportColumn[], rows: Record<string, unknown>[]): ColumnSource[] {
  return columns.map((c) => ({
    name: c.name,
    type: PARQUET_TYPE[c.kind],
    nullable: true,
    data: rows.map((r) => {
      const v = r[c.name];
      if (v === null || v === undefined) return null;
      if (c.kind === "bigint") return BigInt(v as number);
      if (c.kind === "timestamp") return new Date(v as string);
      return v;
    }),
  }));
}
