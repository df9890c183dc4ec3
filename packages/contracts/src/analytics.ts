import { z } from "zod";
import { IsoDate } from "./common.ts";

const JsonObject = z.record(z.string(), z.unknown());

// ---------------------------------------------------------------- intake

/** One dashboard interaction. `metadata` is the original API's name for `extra_data`; a body `user_id` is ignored. */
export const ActivityEvent = z.object({
  activity_type: z.string().trim().min(1).max(50),
  page_url: z.string().max(500).nullish(),
  element_id: z.string().max(255).nullish(),
  search_query: z.string().max(2000).nullish(),
  extra_data: JsonObject.nullish(),
  metadata: JsonObject.nullish(),
  duration_ms: z.number().int().min(0).max(7 * 24 * 3600 * 1000).nullish(),
  session_id: z.string().max(255).nullish(),
  timestamp: IsoDate.optional(),
});
export type ActivityEventInput = z.infer<typeof ActivityEvent>;

const MAX_BATCH = 500;

/** One event, `{events: [...]}` or a bare array; all normalised to `{events}`. */
export const UserActivityBody = z.preprocess(
  (v) => (Array.isArray(v) ? { events: v } : v && typeof v === "object" && !("events" in v) ? { events: [v] } : v),
  z.object({ events: z.array(ActivityEvent).min(1).max(MAX_BATCH) }),
);

export const FrontendError = z.object({
  error_message: z.string().trim().min(1).max(10_000).optional(),
  /** Synonym of error_message (browser Error.message). */
  message: z.string().trim().min(1).max(10_000).optional(),
  severity: z.enum(["critical", "error", "warning", "info"]).default("error"),
  error_code: z.string().trim().min(1).max(50).optional(),
  stack_trace: z.string().max(20_000).nullish(),
  /** Synonym of stack_trace. */
  stack: z.string().max(20_000).nullish(),
  endpoint: z.string().max(255).nullish(),
  page_url: z.string().max(500).nullish(),
  device_id: z.string().max(255).nullish(),
  context: JsonObject.nullish(),
  metadata: JsonObject.nullish(),
  timestamp: IsoDate.optional(),
}).refine((e) => e.error_message !== undefined || e.message !== undefined, { message: "error_message is required", path: ["error_message"] });
export type FrontendErrorInput = z.infer<typeof FrontendError>;

export const FrontendErrorBody = z.preprocess(
  (v) => (Array.isArray(v) ? { errors: v } : v && typeof v === "object" && !("errors" in v) ? { errors: [v] } : v),
  z.object({ errors: z.array(FrontendError).min(1).max(100) }),
);

export const IntakeResult = z.object({
  success: z.literal(true),
  message: z.string(),
  data: z.object({ count: z.number().int(), ids: z.array(z.number().int()) }),
});

export const ErrorIdParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
/** An empty body means "resolve". */
export const ResolveErrorBody = z.preprocess(
  (v) => v ?? {},
  z.object({ resolved: z.boolean().default(true), note: z.string().max(2000).optional() }),
);

export const ErrorLogSchema = z.object({
  id: z.number().int(),
  timestamp: z.string(),
  category: z.string(),
  severity: z.string(),
  error_code: z.string().nullable(),
  error_message: z.string(),
  stack_trace: z.string().nullable(),
  endpoint: z.string().nullable(),
  user_id: z.string().nullable(),
  device_id: z.string().nullable(),
  context: z.unknown(),
  resolved: z.boolean(),
  resolved_at: z.string().nullable(),
  resolved_by: z.string().nullable(),
});
export const ResolveErrorResult = z.object({ success: z.literal(true), message: z.string(), data: ErrorLogSchema });
