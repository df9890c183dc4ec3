import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { AnswerBuilder, type Citation, type Draft, type Figure, inventedFigures } from "./answer-builder.ts";
import { ANSWERS, NEEDS } from "./answer-intent.ts";
import { insertAskQuery } from "./ask.repository.ts";
import { type Catalogue, loadCatalogue } from "./catalogue.ts";
import { intentInput } from "./intent-context.ts";
import { type Intent, type ParsedQuestion, parseQuestion } from "./parse-question.ts";
import { closestQuestions, EXAMPLES, fillExample } from "./suggestions.ts";
import { deniedTrust, evaluateTrust, mayAsk, type Trust } from "./trust.ts";

export const MAX_QUESTION_CHARS = 500;

export interface AskInput {
  question: string;
  siteId?: string;
  deviceId?: string;
}

export interface AskOptions {
  offlineAfterS: number;
  /** Store the question in the caller's history (and audit it); off for the evaluation run. */
  record?: boolean;
  /** Answers a question the built-in engine could not (the optional LLM); null falls back to "can't answer". */
  fallback?: (q: ParsedQuestion, catalogue: Catalogue) => Promise<LlmDraft | null>;
}

export interface LlmDraft extends Draft {
  engine: "llm";
  /** The first tool the model called (the intent its answer rests on). */
  intent: string;
  invented: string[];
}

export interface AskAnswer {
  id: number | null;
  question: string;
  answered: boolean;
  /** The intent read from the question, or the tool the LLM's answer rests on. */
  intent: Intent | string;
  engine: "builtin" | "llm";
  answer: string;
  figures: Figure[];
  citations: Citation[];
  data_window: { start: string; end: string } | null;
  sample_size: number;
  trust: Trust;
  suggestions: string[];
  corrections: { from: string; to: string }[];
  entities: { site_ids: string[]; device_ids: string[] };
  period: { label: string; start: string; end: string } | null;
  /** Figures of the answer that no use case returned: always empty for the built-in engine, dropped for the LLM. */
  invented_figures: string[];
  generated_at: string;
  duration_ms: number;
}

/** Control characters out, whitespace collapsed, at most MAX_QUESTION_CHARS. */
export function sanitizeQuestion(text: string): string {
  const clean = text
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!clean) throw new ValidationError("question must not be empty", "question");
  return clean.slice(0, MAX_QUESTION_CHARS);
}

/** A reply without figures: its text (fixed wording, example ids) is all literal. */
function unanswered(b: AnswerBuilder, message: string): Draft {
  b.line(b.lit(message));
  return b.draft(false);
}

/**
 * Ask HOMEPOT: a question in plain language → one of the typed intents → our own use cases → an answer
 * written from a template, every figure cited, with the data window, the sample size and a trust level.
 * A question it cannot read gets "I can't answer that yet" and the closest questions it can answer.
 */
export async function askQuestion(ctx: Context, input: AskInput, options: AskOptions): Promise<AskAnswer> {
  const started = performance.now();
  const question = sanitizeQuestion(input.question);
  const catalogue = await loadCatalogue(ctx);
  if (input.siteId && !catalogue.sites.some((s) => s.siteId === input.siteId))
    throw new ValidationError(`site_id ${input.siteId} is not a known site`, "site_id");
  if (input.deviceId && !catalogue.devices.some((d) => d.deviceId === input.deviceId))
    throw new ValidationError(`device_id ${input.deviceId} is not a known device`, "device_id");
  const now = ctx.clock.now();
  const q = parseQuestion(question, catalogue, now, { siteId: input.siteId, deviceId: input.deviceId });
  const names = {
    site: q.siteIds[0] ?? input.siteId ?? catalogue.sites[0]?.siteId,
    site2: catalogue.sites.find((s) => s.siteId !== (q.siteIds[0] ?? input.siteId))?.siteId,
    device: q.deviceIds[0] ?? input.deviceId ?? catalogue.devices.find((d) => d.active)?.deviceId,
  };

  let draft: Draft;
  let engine: AskAnswer["engine"] = "builtin";
  let intent: string = q.intent;
  let invented: string[] = [];
  let trust: Trust;
  let suggestions: string[] = [];
  if (q.intent !== "unknown" && !mayAsk(ctx, q)) {
    trust = deniedTrust(ctx, q);
    draft = unanswered(new AnswerBuilder(), `I can't answer that for you: ${trust.reasons[0]}.`);
  } else {
    const i = intentInput(ctx, q, catalogue, options.offlineAfterS);
    let d: Draft | null = null;
    if (q.intent !== "unknown") {
      try {
        d = await ANSWERS[q.intent](i);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        d = unanswered(new AnswerBuilder(), `I can't answer that: ${error.message}.`);
      }
      if (!d) {
        d = unanswered(
          new AnswerBuilder(),
          `I can't answer that yet: ${NEEDS[q.intent] ?? "the question lacks a device or site"}.`,
        );
        suggestions = EXAMPLES[q.intent].map((e) => fillExample(e, names));
      }
    } else if (options.fallback) {
      const llm = await options.fallback(q, catalogue);
      if (llm) {
        d = llm;
        engine = "llm";
        intent = llm.intent;
        invented = llm.invented;
      }
    }
    draft = d ?? unanswered(new AnswerBuilder(), "I can't answer that yet.");
    if (!draft.answered && suggestions.length === 0) suggestions = closestQuestions(question, names);
    if (engine === "builtin")
      invented = inventedFigures(
        draft,
        q.periods.map((p) => p.label),
      );
    trust = draft.answered
      ? await evaluateTrust(ctx, q, draft, catalogue, options.offlineAfterS)
      : deniedOrUnanswered(ctx, q);
    if (invented.length)
      trust = withReason(
        trust,
        `${invented.length} figure(s) of the model's answer matched no tool result and were removed`,
      );
  }

  const durationMs = Math.round(performance.now() - started);
  const answer: AskAnswer = {
    id: null,
    question,
    answered: draft.answered,
    intent,
    engine,
    answer: draft.text,
    figures: draft.figures,
    citations: draft.citations,
    data_window: draft.window,
    sample_size: draft.sampleSize,
    trust,
    suggestions,
    corrections: q.corrections,
    entities: { site_ids: q.siteIds, device_ids: q.deviceIds },
    period: q.periods[0]
      ? { label: q.periods[0].label, start: q.periods[0].start.toISOString(), end: q.periods[0].end.toISOString() }
      : null,
    invented_figures: invented,
    generated_at: now.toISOString(),
    duration_ms: durationMs,
  };
  if (options.record !== false) answer.id = await record(ctx, answer);
  return answer;
}

function withReason(t: Trust, reason: string): Trust {
  return { ...t, reasons: [...t.reasons, reason], level: t.level === "high" ? "medium" : t.level, actionable: false };
}

function deniedOrUnanswered(ctx: Context, q: ParsedQuestion): Trust {
  const t = deniedTrust(ctx, q);
  return {
    ...t,
    reasons: ["no answer was given"],
    gates: [],
    passed_gates: [],
    failed_gate: null,
    summary: "No answer — Mode 1: Status-only",
  };
}

async function record(ctx: Context, a: AskAnswer): Promise<number> {
  const row = await insertAskQuery(ctx.db, {
    createdAt: ctx.clock.now(),
    userId: ctx.actor.kind === "user" ? ctx.actor.userId : null,
    question: a.question,
    intent: a.intent,
    engine: a.engine,
    answered: a.answered,
    trustLevel: a.trust.level,
    answer: a.answer,
    siteId: a.entities.site_ids[0] ?? null,
    deviceId: a.entities.device_ids[0] ?? null,
    durationMs: a.duration_ms,
    citations: a.citations,
  });
  await recordAudit(ctx, {
    eventType: "ai_query",
    description: `Ask HOMEPOT: ${a.intent} (${a.engine}, trust ${a.trust.level})`,
    metadata: {
      ask_query_id: row.id,
      intent: a.intent,
      engine: a.engine,
      answered: a.answered,
      trust_level: a.trust.level,
      question_length: a.question.length,
    },
  });
  return row.id;
}
