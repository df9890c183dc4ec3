import type { Context } from "../../context.ts";
import { NotFoundError } from "../../errors.ts";
import type { Draft } from "../answer-builder.ts";
import { ANSWERS, NEEDS } from "../answer-intent.ts";
import type { Catalogue } from "../catalogue.ts";
import { intentInput } from "../intent-context.ts";
import { type AnswerableIntent, INTENTS, METRICS, type ParsedQuestion, tokenize } from "../parse-question.ts";
import { findPeriods } from "../periods.ts";
import { mayAsk, requiredRole } from "../trust.ts";
import { ERROR_TYPES } from "../vocabulary.ts";
import type { ToolSpec } from "./chat-client.ts";

/** Our intents as the model's tools: the same answers, run with the caller's context and role. */
const DESCRIPTIONS: Record<AnswerableIntent, string> = {
  fleet_status: "Devices by status (online, offline, error), fleet-wide or for one site; errors of the last 24 h.",
  top_n: "Rank devices or sites by a metric (mean over the period) or by errors of a type.",
  why_unhealthy: "Health score of a device (its factors) or of a site (its worst devices).",
  failure_risk: "Failure probability of a device within 24 h, or the devices at risk (optionally of one site).",
  best_window: "Best start time for a job at a site.",
  error_patterns: "Errors of the period by category and code, recurring and rising ones.",
  anomalies: "Anomalies detected now, fleet-wide or for a site or device.",
  compare: "Compare errors of two sites, or of two periods.",
  job_outcomes: "Jobs of the period by status.",
  data_freshness: "Data-collection validation report (freshness, completeness). Admin only.",
};

const PARAMETERS = {
  type: "object",
  properties: {
    site_id: { type: "string", description: "a site id such as site-001" },
    second_site_id: { type: "string", description: "compare: the other site" },
    device_id: { type: "string", description: "a device id such as pos-terminal-007" },
    period: { type: "string", description: 'e.g. "today", "yesterday", "this week", "last week", "last 3 days"' },
    second_period: { type: "string", description: "compare: the other period" },
    subject: { type: "string", enum: ["device", "site"] },
    metric: { type: "string", enum: Object.keys(METRICS) },
    error_type: { type: "string", enum: Object.keys(ERROR_TYPES) },
    order: { type: "string", enum: ["desc", "asc"] },
    limit: { type: "integer", minimum: 1, maximum: 50 },
    duration_minutes: { type: "integer", minimum: 5, maximum: 1440 },
  },
  additionalProperties: false,
};

export const TOOLS: ToolSpec[] = INTENTS.map((name) => ({
  type: "function",
  function: { name, description: DESCRIPTIONS[name], parameters: PARAMETERS },
}));

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** Runs one tool call; an error result (unknown id, role, missing argument) is returned to the model, not thrown. */
export async function runTool(
  ctx: Context,
  catalogue: Catalogue,
  offlineAfterS: number,
  name: string,
  rawArgs: string,
): Promise<{ result: Record<string, unknown>; draft: Draft | null; literals: string[] }> {
  const intent = (INTENTS as readonly string[]).includes(name) ? (name as AnswerableIntent) : null;
  if (!intent) return { result: { error: `unknown tool ${name}` }, draft: null, literals: [] };
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(rawArgs || "{}") as Record<string, unknown>;
  } catch {
    return { result: { error: "arguments are not JSON" }, draft: null, literals: [] };
  }
  const siteIds = [str(args.site_id), str(args.second_site_id)].filter((s): s is string => s !== undefined);
  const deviceIds = [str(args.device_id)].filter((s): s is string => s !== undefined);
  for (const s of siteIds)
    if (!catalogue.sites.some((x) => x.siteId === s))
      return { result: { error: `unknown site ${s}` }, draft: null, literals: [] };
  for (const d of deviceIds)
    if (!catalogue.devices.some((x) => x.deviceId === d))
      return { result: { error: `unknown device ${d}` }, draft: null, literals: [] };
  const now = ctx.clock.now();
  const periods = [str(args.period), str(args.second_period)].flatMap((p) => (p ? findPeriods(tokenize(p), now) : []));
  const metric = str(args.metric);
  const errorType = str(args.error_type);
  const q: ParsedQuestion = {
    question: `(tool ${name})`,
    tokens: [],
    corrections: [],
    intent,
    deviceIds,
    siteIds,
    periods,
    subject: args.subject === "site" ? "site" : "device",
    metric: metric && metric in METRICS ? (metric as keyof typeof METRICS) : null,
    errorType: errorType && errorType in ERROR_TYPES ? errorType : null,
    limit: typeof args.limit === "number" ? Math.min(Math.max(Math.round(args.limit), 1), 50) : 5,
    order: args.order === "asc" ? "asc" : "desc",
    durationMinutes:
      typeof args.duration_minutes === "number" ? Math.min(Math.max(Math.round(args.duration_minutes), 5), 1440) : null,
  };
  if (!mayAsk(ctx, q))
    return { result: { error: `not allowed: needs the ${requiredRole(intent)} role` }, draft: null, literals: [] };
  let draft: Draft | null;
  try {
    draft = await ANSWERS[intent](intentInput(ctx, q, catalogue, offlineAfterS));
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return { result: { error: error.message }, draft: null, literals: [] };
  }
  if (!draft) return { result: { error: NEEDS[intent] ?? "missing argument" }, draft: null, literals: [] };
  return {
    result: {
      answer: draft.text,
      figures: draft.figures.map((f) => ({ label: f.label, value: f.value, unit: f.unit })),
      data_window: draft.window,
      sample_size: draft.sampleSize,
    },
    draft,
    literals: [...draft.literals, ...periods.map((p) => p.label)],
  };
}
