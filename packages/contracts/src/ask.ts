import { z } from "zod";
import { listResult, numberCount, Pagination, Timestamp } from "./common.ts";

/**
 * Ask HOMEPOT (`POST /ai/query`). The original HOMEPOT's request (`query`, `device_id`, `context`, `role`,
 * `history`) and answer (`response`, `timestamp`, `trust`) are kept; our fields stand beside them.
 */

export const MAX_QUESTION_CHARS = 500;
const Id = z.string().trim().min(1).max(100);
const Question = z.string().trim().min(1).max(MAX_QUESTION_CHARS);

export const AskQueryBody = z
  .object({
    question: Question.optional(),
    /** The original HOMEPOT's name for the question. */
    query: Question.optional(),
    site_id: Id.optional(),
    device_id: Id.optional(),
    /** Accepted for the original's clients; the answer never depends on them (scope comes from the login). */
    context: z.string().max(4000).optional(),
    role: z.string().max(50).optional(),
    history: z
      .array(z.object({ role: z.string().max(20), content: z.string().max(4000) }))
      .max(20)
      .optional(),
  })
  .refine((b) => b.question !== undefined || b.query !== undefined, {
    message: "question is required",
    path: ["question"],
  });

const Check = z.object({
  check_id: z.string(),
  name: z.string(),
  passed: z.boolean(),
  message: z.string(),
  evidence: z.array(z.record(z.string(), z.unknown())),
});
export const TrustSchema = z.object({
  level: z.enum(["high", "medium", "low", "none"]),
  reasons: z.array(z.string()),
  trust_mode: z.string(),
  trust_mode_label: z.string(),
  trust_score: z.number(),
  actionable: z.boolean(),
  passed_gates: z.array(z.string()),
  failed_gate: z.string().nullable(),
  gates: z.array(
    z.object({
      gate_id: z.string(),
      name: z.string(),
      status: z.enum(["pass", "fail"]),
      score: z.number(),
      checks: z.array(Check),
      evaluated_at: Timestamp,
      duration_ms: z.number(),
      error: z.string().nullable(),
    }),
  ),
  summary: z.string(),
});

export const CitationSchema = z.object({
  table: z.string(),
  ids: z.array(z.union([z.string(), z.number()])).optional(),
  query: z.string().optional(),
  label: z.string(),
  href: z.string().optional(),
});

export const AskQueryResponse = z.object({
  /** The original's fields. */
  response: z.string(),
  timestamp: Timestamp,
  trust: TrustSchema,
  /** Ours. */
  success: z.literal(true),
  id: z.number().nullable(),
  question: z.string(),
  answered: z.boolean(),
  intent: z.string(),
  engine: z.enum(["builtin", "llm"]),
  answer: z.string(),
  figures: z.array(z.object({ label: z.string(), value: z.number(), unit: z.string(), citation: z.number() })),
  citations: z.array(CitationSchema),
  data_window: z.object({ start: Timestamp, end: Timestamp }).nullable(),
  sample_size: z.number(),
  suggestions: z.array(z.string()),
  corrections: z.array(z.object({ from: z.string(), to: z.string() })),
  entities: z.object({ site_ids: z.array(z.string()), device_ids: z.array(z.string()) }),
  period: z.object({ label: z.string(), start: Timestamp, end: Timestamp }).nullable(),
  invented_figures: z.array(z.string()),
  duration_ms: z.number(),
});

export const AskHistoryQuery = Pagination.extend({
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export const AskHistoryResponse = listResult(
  "history",
  z.object({
    id: z.number(),
    asked_at: Timestamp,
    question: z.string(),
    intent: z.string(),
    engine: z.string(),
    answered: z.boolean(),
    trust_level: z.string(),
    answer: z.string(),
    site_id: z.string().nullable(),
    device_id: z.string().nullable(),
    duration_ms: z.number(),
  }),
  numberCount,
);

export const AskSuggestionsQuery = z.object({ site_id: Id.optional(), device_id: Id.optional() });
export const AskSuggestionsResponse = listResult("suggestions", z.string(), numberCount);
