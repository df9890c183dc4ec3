import { type ProductTableName, productTableNames } from "@homepot/db";
import { formatAge } from "../analytics/validate-data.ts";
import { getFleetSummary } from "../dashboard/get-fleet-summary.ts";
import { listJobs } from "../jobs/list-jobs.ts";
import type { Draft } from "./answer-builder.ts";
import { enc, type IntentInput, periodOf, periodText, siteLabel } from "./intent-context.ts";
import { validateCached } from "./validation-cache.ts";

/** "How is the fleet?" — devices by status (the Overview's counts), the site's when one is named. */
export async function answerFleetStatus(input: IntentInput): Promise<Draft> {
  const { b, q, catalogue } = input;
  const s = await getFleetSummary(input.ctx, { hours: 24, offlineAfterS: input.offlineAfterS });
  const siteId = q.siteIds[0];
  const devicesCite = b.cite({
    table: "devices",
    query: enc({ is_active: "true", site_id: siteId }),
    label: siteId ? `active devices of ${siteId}` : "active devices",
    href: siteId ? `/sites/${siteId}` : "/devices",
  });
  const errorsCite = b.cite({
    table: "error_logs",
    query: enc({
      severity: "error,critical",
      start_date: s.window.start.toISOString(),
      end_date: s.window.end.toISOString(),
    }),
    label: "errors of the last 24 hours",
    href: "/analytics",
  });
  b.setWindow(s.window.start, s.window.end);
  const inScope = catalogue.devices.filter((d) => d.active && (!siteId || d.siteId === siteId));
  const bad = inScope.filter((d) => d.status === "offline" || d.status === "error");
  if (siteId) {
    const site = s.sites.find((x) => x.siteId === siteId);
    const n = site?.devices ?? 0;
    b.sampleSize = n;
    b.sampleKind = "devices";
    b.line(
      `${siteLabel(input, siteId)} has ${b.num(n, devicesCite, "devices", "", 0)} active devices: ${b.num(site?.online ?? 0, devicesCite, "online", "", 0)} online, ${b.num(site?.offline ?? 0, devicesCite, "offline", "", 0)} offline, ${b.num(site?.error ?? 0, devicesCite, "in error", "", 0)} in error.`,
    );
  } else {
    b.sampleSize = s.totalDevices;
    b.sampleKind = "devices";
    const c = s.statusCounts;
    b.line(
      `The fleet has ${b.num(s.totalDevices, devicesCite, "devices", "", 0)} active devices at ${b.num(s.sites.length, devicesCite, "sites", "", 0)} sites: ${b.num(c.online ?? 0, devicesCite, "online", "", 0)} online, ${b.num(c.offline ?? 0, devicesCite, "offline", "", 0)} offline, ${b.num(c.error ?? 0, devicesCite, "in error", "", 0)} in error, ${b.num(c.maintenance ?? 0, devicesCite, "in maintenance", "", 0)} in maintenance.`,
    );
    const errors = s.series.reduce((n, p) => n + p.errors, 0);
    b.line(
      `${b.num(errors, errorsCite, "errors in 24 h", "", 0)} errors were logged in the last ${b.num(24, errorsCite, "hours", "", 0)} hours.`,
    );
  }
  if (bad.length) {
    const list = bad.slice(0, 10).map((d) => `${b.lit(d.deviceId)} (${d.status})`);
    b.cite({
      table: "devices",
      ids: bad.map((d) => d.deviceId),
      label: "devices offline or in error",
      href: "/devices",
    });
    b.line(`Needing attention: ${list.join(", ")}${bad.length > 10 ? ", …" : ""}.`);
  }
  return b.draft();
}

/** "How did the jobs go this week?" — jobs of the period by status, from the jobs list. */
export async function answerJobOutcomes(input: IntentInput): Promise<Draft> {
  const { b, q } = input;
  const p = periodOf(input, 7);
  const siteId = q.siteIds[0];
  const { jobs, total } = await listJobs(input.ctx, {
    startDate: p.start,
    endDate: p.end,
    siteId,
    limit: 1000,
    offset: 0,
  });
  const cite = b.cite({
    table: "jobs",
    ids: jobs.map((j) => j.job_id),
    query: enc({ site_id: siteId, start_date: p.start.toISOString(), end_date: p.end.toISOString() }),
    label: "jobs of the period",
    href: "/jobs",
  });
  b.sampleSize = total;
  const where = siteId ? ` at ${siteLabel(input, siteId)}` : "";
  if (total === 0) {
    b.line(`No jobs were created${where} ${periodText(input, p)}.`);
    return b.draft();
  }
  const byStatus = new Map<string, number>();
  for (const j of jobs) byStatus.set(j.status, (byStatus.get(j.status) ?? 0) + 1);
  const parts = [...byStatus.entries()].sort((a, c) => c[1] - a[1]).map(([s, n]) => `${b.num(n, cite, s, "", 0)} ${s}`);
  const done = (byStatus.get("completed") ?? 0) + (byStatus.get("failed") ?? 0) + (byStatus.get("partial") ?? 0);
  b.line(
    `${b.num(total, cite, "jobs", "", 0)} jobs were created${where} ${periodText(input, p)}: ${parts.join(", ")}.`,
  );
  if (done > 0)
    b.line(
      `Of the ${b.num(done, cite, "finished jobs", "", 0)} finished, ${b.pct((byStatus.get("completed") ?? 0) / done, cite, "success rate")} completed.`,
    );
  const failed = jobs.filter((j) => j.status === "failed" || j.status === "partial").slice(0, 5);
  if (failed.length) b.line(`Failed or partial: ${failed.map((j) => b.lit(j.job_id)).join(", ")}.`);
  return b.draft();
}

const TABLES_FOR_FRESHNESS: readonly ProductTableName[] = productTableNames;

/** "Is the data fresh?" — the `homepot validate` report (admin only, like the report itself). */
export async function answerDataFreshness(input: IntentInput): Promise<Draft> {
  const { b } = input;
  const report = await validateCached(input.ctx, TABLES_FOR_FRESHNESS);
  const cite = b.cite({
    table: "validation",
    query: "homepot validate",
    label: "data-collection validation report",
    href: "/data",
  });
  const ready = report.filter((t) => t.status === "ready");
  const empty = report.filter((t) => t.status === "no_rows_yet");
  const notReady = report.filter((t) => t.status === "not_ready");
  b.sampleSize = report.reduce((n, t) => n + t.row_count, 0);
  b.line(
    `${b.num(ready.length, cite, "tables ready", "", 0)} of ${b.num(report.length, cite, "tables", "", 0)} tables pass validation${empty.length ? `, ${b.num(empty.length, cite, "tables without rows", "", 0)} have no rows yet` : ""}.`,
  );
  for (const t of notReady.slice(0, 5))
    b.line(`${b.lit(t.table)} is not ready: ${b.quote(t.reasons.slice(0, 2).join("; "), cite, t.table)}.`);
  const metrics = report.find((t) => t.table === "device_metrics");
  if (metrics?.freshness?.age_s != null)
    b.line(`The newest device metric is ${b.quote(formatAge(metrics.freshness.age_s), cite, "metrics age")} old.`);
  if (metrics?.freshness?.newest) b.setWindow(metrics.freshness.newest, input.now);
  return b.draft();
}
