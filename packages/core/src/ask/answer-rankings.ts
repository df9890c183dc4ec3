import { summarizeDeviceMetrics } from "../analytics/summarize-device-metrics.ts";
import { type ErrorPatternReport, findErrorPatterns } from "../insights/find-error-patterns.ts";
import type { Draft } from "./answer-builder.ts";
import { enc, type IntentInput, periodOf, periodText, siteLabel } from "./intent-context.ts";
import { METRICS } from "./parse-question.ts";
import type { Period } from "./periods.ts";
import { ERROR_TYPES } from "./vocabulary.ts";

const HOUR = 3_600_000;
const capitalize = (s: string) => `${s.slice(0, 1).toUpperCase()}${s.slice(1)}`;

function errorsFor(input: IntentInput, p: Period, scope: { siteId?: string; deviceId?: string } = {}) {
  const type = input.q.errorType;
  return findErrorPatterns(input.ctx, {
    start: p.start,
    end: p.end,
    siteId: scope.siteId,
    deviceId: scope.deviceId,
    match: type ? ERROR_TYPES[type] : undefined,
    limit: 50,
  });
}

function errorsCitation(input: IntentInput, r: ErrorPatternReport, scope: { siteId?: string; deviceId?: string } = {}) {
  const type = input.q.errorType;
  return input.b.cite({
    table: "error_logs",
    query: enc({
      ...{ site_id: scope.siteId, device_id: scope.deviceId },
      match: type ? ERROR_TYPES[type]?.join("|") : undefined,
      start_date: r.window.start,
      end_date: r.window.end,
    }),
    label: `${type ? `${type} ` : ""}errors`,
    href: "/analytics",
  });
}

/** " at site-003 (East Side Mall)" / " on pos-terminal-012", and "payment errors" or "errors". */
function scopeWords(input: IntentInput, scope: { siteId?: string; deviceId?: string }) {
  const where = scope.deviceId
    ? ` on ${input.b.lit(scope.deviceId)}`
    : scope.siteId
      ? ` at ${siteLabel(input, scope.siteId)}`
      : "";
  return { where, kind: errorKind(input) };
}

function errorKind(input: IntentInput): string {
  return `${input.q.errorType ? `${input.q.errorType} ` : ""}errors`;
}

/** "Which stores had the most payment errors this week?", "top 3 tills by CPU yesterday". */
export async function answerTopN(input: IntentInput): Promise<Draft> {
  const { b, q } = input;
  const p = periodOf(input, 7);
  const noun = q.subject === "site" ? "sites" : "devices";
  const siteId = q.subject === "device" ? q.siteIds[0] : undefined;
  if (q.metric === null) {
    const r = await errorsFor(input, p, { siteId });
    const cite = errorsCitation(input, r, { siteId });
    b.setWindow(r.window.start, r.window.end);
    b.sampleSize = r.total;
    const kind = errorKind(input);
    const rows = [...r.patterns[q.subject]]
      .sort((x, y) => (q.order === "asc" ? x.count - y.count : y.count - x.count))
      .slice(0, q.limit);
    if (rows.length === 0) {
      b.line(`No ${kind} were logged ${periodText(input, p)}, so no ${noun} to rank.`);
      return b.draft();
    }
    const list = rows.map(
      (x) =>
        `${q.subject === "site" ? siteLabel(input, x.key) : b.lit(x.key)} ${b.num(x.count, cite, `${x.key} ${kind}`, "", 0)} (${b.pct(x.share, cite, `${x.key} share`)})`,
    );
    b.line(
      `${q.order === "asc" ? "Fewest" : "Most"} ${kind} by ${q.subject} ${periodText(input, p)}: ${list.join(", ")}; ${b.num(r.total, cite, `total ${kind}`, "", 0)} in all.`,
    );
    return b.draft();
  }
  const m = METRICS[q.metric];
  const bucket = p.end.getTime() - p.start.getTime() <= 48 * HOUR ? "hour" : "day";
  const start = new Date(
    Math.floor(p.start.getTime() / (bucket === "hour" ? HOUR : 24 * HOUR)) * (bucket === "hour" ? HOUR : 24 * HOUR),
  );
  const r = await summarizeDeviceMetrics(input.ctx, {
    bucket,
    start_date: start,
    end_date: p.end,
    limit: 1000,
    order: "desc",
    scope: q.subject,
    site_id: siteId,
  });
  const cite = b.cite({
    table: "device_metric_rollups",
    query: enc({
      bucket,
      scope: q.subject,
      site_id: siteId,
      metric: m.column,
      start_date: start.toISOString(),
      end_date: p.end.toISOString(),
    }),
    label: `${m.label} by ${q.subject}`,
    href: "/analytics",
  });
  const acc = new Map<string, { sum: number; n: number }>();
  for (const row of r.summaries) {
    const key = q.subject === "site" ? row.site_id : row.device_id;
    const s = row.metrics[m.column];
    if (!key || !s || s.avg === null || s.n === 0) continue;
    const a = acc.get(key) ?? { sum: 0, n: 0 };
    a.sum += s.avg * s.n;
    a.n += s.n;
    acc.set(key, a);
  }
  b.setWindow(start, p.end);
  b.sampleSize = [...acc.values()].reduce((n, a) => n + a.n, 0);
  const rows = [...acc.entries()]
    .map(([key, a]) => ({ key, avg: a.sum / a.n, n: a.n }))
    .sort((x, y) => (q.order === "asc" ? x.avg - y.avg : y.avg - x.avg))
    .slice(0, q.limit);
  if (rows.length === 0) {
    b.line(`No ${m.label} samples ${periodText(input, p)}, so no ${noun} to rank.`);
    return b.draft();
  }
  const list = rows.map(
    (x) =>
      `${q.subject === "site" ? siteLabel(input, x.key) : b.lit(x.key)} ${b.num(x.avg, cite, `${x.key} mean ${m.label}`, m.unit)}`,
  );
  b.line(
    `${q.order === "asc" ? "Lowest" : "Highest"} mean ${m.label} by ${q.subject} ${periodText(input, p)}: ${list.join(", ")} (from ${b.num(b.sampleSize, cite, "samples", "", 0)} samples).`,
  );
  return b.draft();
}

/** "What errors keep coming back?" — errors of the period by category, recurring and rising ones. */
export async function answerErrorPatterns(input: IntentInput): Promise<Draft> {
  const { b, q } = input;
  const p = periodOf(input, 7);
  const scope = { siteId: q.siteIds[0], deviceId: q.deviceIds[0] };
  const r = await errorsFor(input, p, scope);
  const cite = errorsCitation(input, r, scope);
  b.setWindow(r.window.start, r.window.end);
  b.sampleSize = r.total;
  const { where, kind } = scopeWords(input, scope);
  if (r.total === 0) {
    b.line(`No ${kind} were logged${where} ${periodText(input, p)}.`);
    return b.draft();
  }
  const cats = r.patterns.category
    .slice(0, 4)
    .map(
      (x) =>
        `${b.lit(x.key)} ${b.num(x.count, cite, `${x.key} count`, "", 0)} (${b.pct(x.share, cite, `${x.key} share`)})`,
    );
  b.line(
    `${b.num(r.total, cite, "errors", "", 0)} ${kind}${where} ${periodText(input, p)}. By category: ${cats.join(", ")}.`,
  );
  const codes = r.patterns.code
    .slice(0, 3)
    .map((x) => `${b.lit(x.key)} ${b.num(x.count, cite, `${x.key} count`, "", 0)}`);
  if (codes.length) b.line(`Top codes: ${codes.join(", ")}.`);
  if (r.recurring.length)
    b.line(
      `Recurring (on 3 or more days): ${r.recurring
        .slice(0, 3)
        .map((x) => `${x.dimension} ${b.lit(x.key)} (${b.num(x.distinct_days, cite, `${x.key} days`, "", 0)} days)`)
        .join(", ")}.`,
    );
  if (r.rising.length)
    b.line(
      `Rising: ${r.rising
        .slice(0, 3)
        .map(
          (x) =>
            `${x.dimension} ${b.lit(x.key)} (${b.num(x.earlier, cite, `${x.key} earlier`, "", 0)} → ${b.num(x.later, cite, `${x.key} later`, "", 0)})`,
        )
        .join(", ")}.`,
    );
  else b.line("Nothing is rising.");
  return b.draft();
}

/** "Compare site-001 and site-002", "this week vs last week": errors (and health for sites) side by side. */
export async function answerCompare(input: IntentInput): Promise<Draft | null> {
  const { b, q } = input;
  if (q.siteIds.length >= 2) {
    const p = periodOf(input, 7);
    const [s1, s2] = q.siteIds as [string, string];
    const [e1, e2] = await Promise.all([errorsFor(input, p, { siteId: s1 }), errorsFor(input, p, { siteId: s2 })]);
    const c1 = errorsCitation(input, e1, { siteId: s1 });
    const c2 = errorsCitation(input, e2, { siteId: s2 });
    const d1 = input.catalogue.devices.filter((d) => d.active && d.siteId === s1);
    const d2 = input.catalogue.devices.filter((d) => d.active && d.siteId === s2);
    const dc = b.cite({
      table: "devices",
      ids: [...d1, ...d2].map((d) => d.deviceId),
      label: "devices of both sites",
      href: "/devices",
    });
    b.sampleSize = e1.total + e2.total + d1.length + d2.length;
    const bad = (ds: typeof d1) => ds.filter((d) => d.status === "offline" || d.status === "error").length;
    const kind = errorKind(input);
    b.line(
      `${b.lit(capitalize(periodText(input, p)))}: ${siteLabel(input, s1)} had ${b.num(e1.total, c1, `${s1} ${kind}`, "", 0)} ${kind} on ${b.num(d1.length, dc, `${s1} devices`, "", 0)} devices (${b.num(bad(d1), dc, `${s1} down`, "", 0)} offline or in error now); ${siteLabel(input, s2)} had ${b.num(e2.total, c2, `${s2} ${kind}`, "", 0)} on ${b.num(d2.length, dc, `${s2} devices`, "", 0)} devices (${b.num(bad(d2), dc, `${s2} down`, "", 0)} offline or in error).`,
    );
    return b.draft();
  }
  const now = input.now;
  const first = q.periods[0] ?? { start: new Date(now.getTime() - 7 * 24 * HOUR), end: now, label: "last 7 days" };
  const len = first.end.getTime() - first.start.getTime();
  const second = q.periods[1] ?? {
    start: new Date(first.start.getTime() - len),
    end: first.start,
    label: `the ${Math.round(len / HOUR) >= 48 ? `${Math.round(len / (24 * HOUR))} days` : `${Math.round(len / HOUR)} hours`} before`,
  };
  const scope = { siteId: q.siteIds[0], deviceId: q.deviceIds[0] };
  const [a, c] = await Promise.all([errorsFor(input, first, scope), errorsFor(input, second, scope)]);
  const ca = errorsCitation(input, a, scope);
  const cc = errorsCitation(input, c, scope);
  b.setWindow(
    new Date(Math.min(first.start.getTime(), second.start.getTime())),
    new Date(Math.max(first.end.getTime(), second.end.getTime())),
  );
  b.lit(second.label);
  b.sampleSize = a.total + c.total;
  const { where, kind } = scopeWords(input, scope);
  const change =
    c.total > 0
      ? ` (${a.total >= c.total ? "up" : "down"} ${b.pct(Math.abs(a.total - c.total) / c.total, ca, "change")})`
      : "";
  b.line(
    `${capitalize(kind)}${where}: ${b.num(a.total, ca, `${first.label} ${kind}`, "", 0)} ${b.lit(first.label)} against ${b.num(c.total, cc, `${second.label} ${kind}`, "", 0)} ${second.label}${change}.`,
  );
  const top = (r: ErrorPatternReport, cite: number) =>
    r.patterns.category[0]
      ? `${b.lit(r.patterns.category[0].key)} (${b.num(r.patterns.category[0].count, cite, "top category", "", 0)})`
      : "none";
  b.line(`Top category: ${top(a, ca)} against ${top(c, cc)}.`);
  return b.draft();
}
