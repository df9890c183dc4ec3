// `npm run bench [-- --quick] [-- --only name,name]`: every bench/suites/*.ts on a fresh PostgreSQL database
// each; prints a table and writes bench-results.json at the repo root.
import { readdirSync, renameSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchPgAdminUrl, freshDatabase } from "./lib/postgres.ts";
import type { BenchSuite } from "./lib/types.ts";

const HEADLINES: Record<string, { goal: string; ok(v: number): boolean }> = {
  ingest_ratio: { goal: "≥ 0.5", ok: (v) => v >= 0.5 },
  batch_ratio: { goal: "≥ 0.5", ok: (v) => v >= 0.5 },
  logging_ratio: { goal: "≥ 0.95", ok: (v) => v >= 0.95 },
  query_scale_ratio: { goal: "≤ 2", ok: (v) => v <= 2 },
  retention_drop_ratio: { goal: "≤ 0.1", ok: (v) => v <= 0.1 },
  simulator_lag_p99_ms: { goal: "< 1000", ok: (v) => v < 1000 },
  release_download_ratio: { goal: "(report)", ok: () => true },
  fleet_lag_p99_ms: { goal: "< 1000 (100 000 devices)", ok: (v) => v < 1000 },
  fleet_mb_per_1000_devices: { goal: "(report)", ok: () => true },
  dashboard_overview_first_render_ms: { goal: "< 1000 (100 000 devices)", ok: (v) => v < 1000 },
  dashboard_device_list_first_render_ms: { goal: "< 1000 (100 000 devices)", ok: (v) => v < 1000 },
  rss_mb: { goal: "(report)", ok: () => true },
  nab_standard: { goal: "≥ 70 (issue 13)", ok: (v) => v >= 70 },
  nab_reward_low_fp: { goal: "≥ 60 (issue 13)", ok: (v) => v >= 60 },
};

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string" } } });
const suitesDir = fileURLToPath(new URL("./suites/", import.meta.url));
const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const only = values.only?.split(",").map((s) => s.trim());
const names = readdirSync(suitesDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .map((f) => f.slice(0, -3))
  .filter((n) => !only || only.includes(n))
  .sort();

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const raw: Record<string, Record<string, number>> = {};
const failed: Record<string, string> = {};
const started = Date.now();

for (const name of names) {
  const t0 = Date.now();
  log(`${name}: starting${values.quick ? " (quick)" : ""}`);
  const db = await freshDatabase(benchPgAdminUrl, `bench_${name}`);
  try {
    const mod = (await import(new URL(`./suites/${name}.ts`, import.meta.url).href)) as { run: BenchSuite };
    raw[name] = await mod.run({
      quick: values.quick,
      databaseUrl: db.url,
      pgAdminUrl: benchPgAdminUrl,
      log: (m) => log(`${name}: ${m}`),
    });
    log(`${name}: done in ${Math.round((Date.now() - t0) / 1000)} s`);
  } catch (error) {
    failed[name] = error instanceof Error ? error.message : String(error);
    log(`${name}: FAILED: ${failed[name]}`);
  } finally {
    await db.drop();
  }
}

// Headline figures at the top level; rss_mb is the largest any suite saw.
const headline: Record<string, number | null> = {};
for (const key of Object.keys(HEADLINES)) {
  const found = Object.values(raw)
    .map((figures) => figures[key])
    .filter((v): v is number => typeof v === "number");
  headline[key] = found.length === 0 ? null : key === "rss_mb" ? Math.max(...found) : (found[0] ?? null);
}

const results = {
  ...headline,
  generated_at: new Date().toISOString(),
  command: `npm run bench${values.quick ? " -- --quick" : ""}`,
  quick: values.quick,
  machine: {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? "unknown",
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  duration_s: Math.round((Date.now() - started) / 1000),
  suites: raw,
  failed,
};
const file = `${repoRoot}bench-results.json`;
writeFileSync(`${file}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
renameSync(`${file}.tmp`, file);

const rows = Object.entries(HEADLINES).map(([key, h]) => {
  const v = headline[key];
  return [
    key,
    v === null || v === undefined ? "—" : String(v),
    h.goal,
    v === null || v === undefined ? "not measured" : h.ok(v) ? "ok" : "MISSED",
  ];
});
const detail = Object.entries(raw).flatMap(([suite, figures]) =>
  Object.entries(figures).map(([k, v]) => [`${suite}.${k}`, String(v), "", ""]),
);
const table = [["figure", "value", "goal", ""], ...rows, ["", "", "", ""], ...detail];
const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
const out = table.map((r) =>
  r
    .map((c, i) => (i === 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
    .join("  ")
    .trimEnd(),
);
out.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
process.stdout.write(`${out.join("\n")}\n\nwrote ${file}\n`);
for (const [name, message] of Object.entries(failed)) process.stdout.write(`suite ${name} failed: ${message}\n`);
process.exit(Object.keys(failed).length > 0 ? 1 : 0);
