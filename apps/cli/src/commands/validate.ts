import { ProductTable } from "@homepot/contracts/analytics";
import { loadConfig, systemContext } from "@homepot/core";
import { type TableReport, validateData } from "@homepot/core/analytics/validate-data";
import { parseCommand } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { openCliDatabase } from "../lib/database.ts";
import { formatTable, print, printJson } from "../lib/output.ts";
import { ProgressBar } from "../lib/progress.ts";

export const summary = "data-collection validation report per table (AI readiness); exit 1 when a table is not ready";

const HELP = `Usage: homepot validate [--table NAME …] [--json] [--verbose]

For each of the 14 tables: schema against the documented columns and types, row count, NULL rate per
column (columns that must not be NULL flagged), freshness (device_metrics older than 5 minutes is a gap),
range violations (percentages outside 0–100, negative counts, future timestamps), referential checks,
and a verdict: ready / not ready for AI training, with the reasons.

  --table NAME   only this table (repeatable)
  --json         the report as JSON (the same as GET /api/v1/analytics/validation)
  --verbose      also the NULL rate of every column
  --quiet        no progress bar on stderr

A table that is sound but still empty (a fresh install) says "no rows yet" rather than NOT READY.
Exit code 0 when every table checked is ready, 1 otherwise (so it can gate a pipeline).`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, HELP, {
    json: { type: "boolean" },
    table: { type: "string", multiple: true },
    verbose: { type: "boolean" },
    quiet: { type: "boolean" },
  });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const tables = (values.table ?? []).map((name) => {
    const parsed = ProductTable.safeParse(name);
    if (!parsed.success)
      throw new CliError(`--table: unknown table "${name}"; one of ${ProductTable.options.join(", ")}`, 2);
    return parsed.data;
  });
  const database = await openCliDatabase(loadConfig());
  try {
    const bar = new ProgressBar("validate", !values.quiet);
    const report = await validateData(systemContext(database.db, "cli"), {
      ...(tables.length ? { tables } : {}),
      onTable: (table, i, n) => bar.update(i / n, table),
    });
    bar.done(`${report.summary.tables} tables checked`);
    if (values.json) printJson(report);
    else {
      print(`# ${database.source}`);
      print(`# HOMEPOT data-collection validation, ${report.generated_at}\n`);
      print(
        formatTable(
          report.tables.map((t) => ({
            table: t.table,
            rows: t.row_count,
            schema: t.schema.ok ? "ok" : "MISMATCH",
            newest: t.freshness?.newest ?? "",
            age: t.freshness?.age_s == null ? "" : ageText(t.freshness.age_s),
            violations: t.violations.filter((v) => v.severity === "error").reduce((a, v) => a + v.count, 0),
            verdict: verdict(t),
          })),
          undefined,
          40,
        ),
      );
      for (const t of report.tables) printDetails(t, Boolean(values.verbose));
      const named = (status: TableReport["status"]) =>
        report.tables
          .filter((t) => t.status === status)
          .map((t) => t.table)
          .join(", ");
      const notReady = named("not_ready");
      const empty = named("no_rows_yet");
      print(
        `\n${report.summary.ready}/${report.summary.tables} tables ready for AI training${
          report.ready ? "." : `${empty ? `; no rows yet: ${empty}` : ""}${notReady ? `; not ready: ${notReady}` : ""}.`
        }`,
      );
    }
    return report.ready ? 0 : 1;
  } finally {
    await database.close();
  }
}

/** A table that is only empty is not a failure: it says so instead of NOT READY. */
function verdict(t: TableReport): string {
  return t.status === "ready" ? "ready" : t.status === "no_rows_yet" ? "no rows yet" : "NOT READY";
}

function printDetails(t: TableReport, verbose: boolean): void {
  if (t.status === "no_rows_yet" && t.warnings.length === 0 && !verbose) return;
  if (t.ready && t.warnings.length === 0 && !verbose) return;
  print(`\n${t.table}: ${verdict(t)}`);
  for (const r of t.reasons) print(`  ${t.status === "no_rows_yet" ? "·" : "✗"} ${r}`);
  for (const w of t.warnings) print(`  ! ${w}`);
  for (const v of t.violations) if (v.sample_ids.length) print(`    ${v.check}: e.g. id ${v.sample_ids.join(", ")}`);
  if (t.schema.extra.length && verbose) print(`  + columns beyond the documented schema: ${t.schema.extra.join(", ")}`);
  if (verbose && t.row_count > 0) {
    const cols = t.columns
      .filter((c) => c.nulls > 0)
      .map((c) => `${c.name}${c.required ? "*" : ""} ${(c.null_rate * 100).toFixed(1)}%`);
    print(`  NULL rate: ${cols.length ? cols.join(", ") : "no NULLs"}`);
  }
}

function ageText(s: number): string {
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}
