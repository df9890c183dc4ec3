import { type Catalogue, distinctiveWords } from "./catalogue.ts";
import { findPeriods, type Period } from "./periods.ts";
import { correctWord } from "./spelling.ts";
import { BASE_VOCABULARY, ERROR_TYPES, numberWord, STOPWORDS, SYNONYMS } from "./vocabulary.ts";

export const INTENTS = [
  "fleet_status",
  "top_n",
  "why_unhealthy",
  "failure_risk",
  "best_window",
  "error_patterns",
  "anomalies",
  "compare",
  "job_outcomes",
  "data_freshness",
] as const;
export type AnswerableIntent = (typeof INTENTS)[number];
export type Intent = AnswerableIntent | "unknown";

export const METRICS = {
  cpu: { column: "cpu_percent", label: "CPU", unit: "%" },
  memory: { column: "memory_percent", label: "memory", unit: "%" },
  disk: { column: "disk_percent", label: "disk use", unit: "%" },
  latency: { column: "network_latency_ms", label: "network latency", unit: "ms" },
  transactions: { column: "transaction_count", label: "transactions", unit: "" },
  error_rate: { column: "error_rate", label: "error rate", unit: "" },
  queue: { column: "queue_depth", label: "queue depth", unit: "" },
  connections: { column: "active_connections", label: "active connections", unit: "" },
} as const;
export type MetricKey = keyof typeof METRICS;

export interface ParsedQuestion {
  question: string;
  tokens: string[];
  corrections: { from: string; to: string }[];
  intent: Intent;
  deviceIds: string[];
  siteIds: string[];
  periods: Period[];
  /** What a ranking ranks: devices or sites. */
  subject: "device" | "site";
  metric: MetricKey | null;
  errorType: string | null;
  limit: number;
  order: "desc" | "asc";
  durationMinutes: number | null;
}

const ERROR_WORD = new Map(Object.entries(ERROR_TYPES).flatMap(([type, words]) => words.map((w) => [w, type])));

/** Lower-case words and numbers; device ids ("pos-terminal-012") split into their parts. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]s\b/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Reads a question into an intent and its parameters; nothing here touches the database. */
export function parseQuestion(
  question: string,
  catalogue: Catalogue,
  now: Date,
  scope: { siteId?: string; deviceId?: string } = {},
): ParsedQuestion {
  const siteWords = new Map<string, string[]>();
  for (const s of catalogue.sites)
    for (const w of distinctiveWords(s.name)) siteWords.set(w, [...(siteWords.get(w) ?? []), s.siteId]);
  const ordered = [...BASE_VOCABULARY, ...siteWords.keys()];
  const vocabulary = new Set([...ordered, ...STOPWORDS]);
  const corrections: { from: string; to: string }[] = [];
  const tokens = tokenize(question).map((t) => {
    const fixed = correctWord(t, vocabulary, ordered);
    if (!fixed) return t;
    corrections.push({ from: t, to: fixed });
    return fixed;
  });
  // "in error" is a status, not an error count.
  const canon = tokens.map((t, i) => (tokens[i - 1] === "in" && t === "error" ? "status" : (SYNONYMS[t] ?? t)));
  const has = (w: string) => canon.includes(w);
  const raw = (...ws: string[]) => ws.some((w) => tokens.includes(w));

  const deviceIds = findDevices(question, tokens, canon, catalogue);
  const siteIds = findSites(tokens, canon, catalogue, siteWords);
  const periods = findPeriods(tokens, now);
  const errorType = tokens.map((t) => ERROR_WORD.get(t)).find((x) => x !== undefined) ?? null;
  const metric = findMetric(tokens, canon);
  const firstSubject = canon.find((w) => w === "device" || w === "site");
  const subject = firstSubject === "site" ? "site" : "device";

  const ranking = has("top") || has("bottom") || has("busiest") || raw("which", "who");
  const aboutErrors = has("error") || has("failure") || has("failed");
  const future = has("risk") || raw("will", "going", "soon", "next", "tomorrow", "break", "die");
  const named =
    deviceIds.length > 0 || siteIds.length > 0 || scope.deviceId !== undefined || scope.siteId !== undefined;
  let intent: Intent = "unknown";
  if (has("compare") || raw("difference") || siteIds.length >= 2 || (periods.length >= 2 && !has("job")))
    intent = "compare";
  else if (
    has("fresh") ||
    has("validation") ||
    (raw("data") && raw("gap", "gaps", "collected", "collection", "missing", "date", "ready", "reporting", "trust"))
  )
    intent = "data_freshness";
  else if (
    has("window") ||
    (has("when") && (has("deploy") || has("job"))) ||
    (raw("time") && (has("best") || has("deploy")))
  )
    intent = "best_window";
  else if (has("job")) intent = "job_outcomes";
  else if (has("risk") || ((has("failure") || raw("break", "die")) && future)) intent = "failure_risk";
  else if (has("anomaly") || raw("spike", "spikes", "unexpected")) intent = "anomalies";
  else if (aboutErrors && has("pattern")) intent = "error_patterns";
  else if (ranking && (metric !== null || aboutErrors) && deviceIds.length === 0) intent = "top_n";
  else if (has("why") || ((has("unhealthy") || has("health")) && named)) intent = "why_unhealthy";
  else if (aboutErrors || has("pattern")) intent = "error_patterns";
  else if (
    has("status") ||
    has("health") ||
    has("unhealthy") ||
    raw("fleet", "ok", "okay", "running", "down") ||
    (raw("how") && raw("many") && has("device"))
  )
    intent = "fleet_status";

  // The page the question is asked from names the device or site when the question does not.
  if (deviceIds.length === 0 && scope.deviceId && intent !== "top_n" && intent !== "compare")
    deviceIds.push(scope.deviceId);
  if (siteIds.length === 0 && scope.siteId && intent !== "compare") siteIds.push(scope.siteId);

  return {
    question,
    tokens,
    corrections,
    intent,
    deviceIds,
    siteIds,
    periods,
    subject,
    metric,
    errorType: aboutErrors ? errorType : null,
    limit: findLimit(tokens, canon) ?? 5,
    order: has("bottom") ? "asc" : "desc",
    durationMinutes: findDuration(tokens),
  };
}

function findMetric(tokens: string[], canon: string[]): MetricKey | null {
  if (canon.includes("error") && tokens.includes("rate")) return "error_rate";
  for (const w of canon) {
    if (
      w === "cpu" ||
      w === "memory" ||
      w === "disk" ||
      w === "latency" ||
      w === "transactions" ||
      w === "queue" ||
      w === "connections"
    )
      return w;
    if (w === "busiest") return "transactions";
  }
  return null;
}

function findDevices(question: string, tokens: string[], canon: string[], catalogue: Catalogue): string[] {
  const out: string[] = [];
  const lower = question.toLowerCase();
  for (const d of catalogue.devices) if (lower.includes(d.deviceId.toLowerCase())) out.push(d.deviceId);
  if (out.length) return out;
  for (let i = 0; i < tokens.length; i++) {
    if (canon[i] !== "device") continue;
    let j = i + 1;
    while (tokens[j] === "number" || tokens[j] === "no" || tokens[j] === "terminal") j++;
    const n = tokens[j] !== undefined && /^\d+$/.test(tokens[j] as string) ? Number(tokens[j]) : undefined;
    if (n === undefined) continue;
    const match = catalogue.devices.find((d) => new RegExp(`(^|\\D)0*${n}$`).test(d.deviceId));
    if (match && !out.includes(match.deviceId)) out.push(match.deviceId);
  }
  return out;
}

function findSites(tokens: string[], canon: string[], catalogue: Catalogue, words: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    const exact = catalogue.sites.find((s) => s.siteId.toLowerCase() === t);
    if (exact) out.push(exact.siteId);
    if (canon[i] === "site" && tokens[i + 1] !== undefined && /^\d+$/.test(tokens[i + 1] as string)) {
      const n = Number(tokens[i + 1]);
      const match = catalogue.sites.find((s) => new RegExp(`(^|\\D)0*${n}$`).test(s.siteId));
      if (match) out.push(match.siteId);
    }
    const byName = words.get(t);
    if (byName?.length === 1) out.push(byName[0] as string);
  }
  return [...new Set(out)];
}

function findLimit(tokens: string[], canon: string[]): number | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const n = numberWord(tokens[i] as string);
    if (n === undefined || n < 1 || n > 50) continue;
    const before = canon[i - 1];
    const after = canon[i + 1];
    if (before === "top" || before === "bottom" || after === "top" || after === "bottom") return n;
    if ((after === "device" || after === "site") && tokens[i + 1]?.endsWith("s")) return n;
  }
  return undefined;
}

function findDuration(tokens: string[]): number | null {
  for (let i = 1; i < tokens.length; i++) {
    const n = numberWord(tokens[i - 1] as string);
    const unit = tokens[i] as string;
    const before = tokens[i - 2];
    if (n === undefined || before === "last" || before === "past" || before === "previous") continue;
    if (unit.startsWith("hour") || unit === "h" || unit === "hr" || unit === "hrs") return Math.min(n * 60, 1440);
    if (unit.startsWith("min")) return Math.min(Math.max(n, 5), 1440);
  }
  return null;
}
