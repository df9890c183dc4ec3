import { z } from "zod";

export const ErrorBody = z.object({
  detail: z.union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())]),
  errors: z.array(z.object({ field: z.string(), location: z.string(), message: z.string() })).optional(),
});

/** `{ success, message, ...fields }`: the answer of a write, saying what it did, then what it has to show. */
export const messageResult = <S extends z.ZodRawShape>(fields: S) =>
  z.object({ success: z.literal(true), message: z.string(), ...fields });
/** `{ success, message, data }`: the answer of a plain write. */
export const writeResult = <T extends z.ZodType>(data: T) => messageResult({ data });
export const MessageResult = messageResult({});
/** `{ success, data }`: the answer of a read of one thing. */
export const dataResult = <T extends z.ZodType>(data: T) => z.object({ success: z.literal(true), data });

/** `{ success, status: "success", message, ...fields }`: a write answered in the original HOMEPOT's shape and ours. */
export const statusResult = <S extends z.ZodRawShape>(fields: S) =>
  z.object({ success: z.literal(true), status: z.literal("success"), message: z.string(), ...fields });
/** `{ success, status: "success", data }`: a read answered in the original HOMEPOT's shape and ours. */
export const statusDataResult = <T extends z.ZodType>(data: T) =>
  z.object({ success: z.literal(true), status: z.literal("success"), data });

/**
 * `{ success, count, <key>: [...] }`, the shape of every list answer, with any fields of its own (`total`,
 * `next_cursor`, the window it covers…) between the count and the items. `extra` may restate `count` where an
 * answer has always declared it a plain number.
 */
// biome-ignore lint/complexity/noBannedTypes: `{}` is "no extra fields", the default of E
export function listResult<K extends string, T extends z.ZodType, E extends z.ZodRawShape = {}>(
  key: K,
  item: T,
  extra?: E,
) {
  return z.object({
    success: z.literal(true),
    count: z.number().int(),
    ...(extra as E),
    ...({ [key]: z.array(item) } as { [P in K]: z.ZodArray<T> }),
  });
}
/** The `total` of a paged list: every matching row, not only this page's. */
export const withTotal = { total: z.number().int() };
/** The `count` of the list answers that have always declared it a plain number (OpenAPI `number`, not `integer`). */
export const numberCount = { count: z.number() };

/** A query-string flag: true/false/1/0. */
export const QueryBool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/**
 * A query parameter holding a comma-separated list (`status=failed,expired`), each item trimmed (and lowercased
 * unless `keepCase`) and checked by `item`; absent or empty: undefined.
 */
export const commaList = <T extends z.ZodType<unknown, string>>(
  item: T,
  options: { keepCase?: boolean; max?: number } = {},
) =>
  z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",").map((x) => (options.keepCase ? x.trim() : x.trim().toLowerCase())) : undefined))
    .pipe(
      z
        .array(item)
        .max(options.max ?? 1000)
        .optional(),
    );

/** A bounded, trimmed, non-empty text filter. */
export const Text = (max: number) => z.string().trim().min(1).max(max);
/** A name made of letters, digits, `_`, `.` and `-` (a device type, a segment, a release name). */
export const Slug = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only");

/** A row's serial id (a PostgreSQL integer) in a path or a query string. */
export const SerialId = z.coerce.number().int().min(1).max(2_147_483_647);
/** `{id}`: the path of a row named by its serial id. */
export const SerialIdParams = z.object({ id: SerialId });

/** limit (1–1000, default 100) and offset, as every list takes. */
export const Pagination = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * True when `s` is an ISO 8601 date or datetime that exists on the calendar (no 2026-02-30, no 24:00, no
 * year 0, which PostgreSQL refuses); a zone is optional. Linear time (anchored, bounded).
 */
export function isCalendarDateTime(s: string): boolean {
  const m = s.length <= 40 ? DATE_TIME.exec(s) : null;
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31)) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return false;
  if (m[7] && m[7].length > 1) {
    const [h, min] = [Number(m[7].slice(1, 3)), Number(m[7].slice(-2))];
    if (h > 14 || min > 59) return false;
  }
  return !Number.isNaN(Date.parse(s.length === 10 ? s : s.replace(" ", "T")));
}

/** An ISO date or datetime that exists on the calendar; a bare date means midnight UTC. */
export const IsoDate = z
  .string()
  .refine(isCalendarDateTime, { message: "must be an existing ISO date or datetime (e.g. 2026-02-28T10:00:00Z)" })
  .transform((s) => new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) || s.length === 10 ? s : `${s.replace(" ", "T")}Z`));

export const TimeRange = z.object({
  start_date: IsoDate.optional(),
  end_date: IsoDate.optional(),
});

export const Timestamp = z.string().describe("ISO 8601 timestamp (UTC)");

// Field groups that many replies' rows share (spread them into a row's z.object, where they stand in it).
/** A row's creation and last change, as replies show them. */
export const timestamps = { created_at: Timestamp, updated_at: Timestamp };
/** Who created a row: the user's id and name, both null for the system, a job or a device. */
export const createdBy = { created_by: z.string().nullable(), created_by_username: z.string().nullable() };
/** Why something failed: a short code and the message, both null unless it did. */
export const failure = { error_code: z.string().nullable(), error_message: z.string().nullable() };
/** Whether a recorded problem (an alert, an error) is resolved, when and by whom. */
export const resolution = {
  resolved: z.boolean(),
  resolved_at: Timestamp.nullable(),
  resolved_by: z.string().nullable(),
};

export const JsonValue: z.ZodType<unknown> = z.unknown();

/** Limits of a free JSON field (a payload, a config, extra metrics…). */
export interface JsonLimits {
  /** Nesting levels at most (an object or array is one level). Default 20. */
  maxDepth?: number;
  /** Approximate serialised size at most, in bytes. Default 64 KiB. */
  maxBytes?: number;
}

/**
 * Why `value` breaks the limits, or undefined. Walks the value with its own stack (never recursion), so a
 * 10 000-level document is refused in linear time instead of overflowing the stack later in JSON.stringify.
 */
export function jsonLimitProblem(value: unknown, limits: JsonLimits = {}): string | undefined {
  const maxDepth = limits.maxDepth ?? 20;
  const maxBytes = limits.maxBytes ?? 64 * 1024;
  const stack: [unknown, number][] = [[value, 1]];
  let bytes = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v === "string") bytes += v.length + 2;
    else if (v === null || typeof v !== "object") bytes += 8;
    else {
      if (depth > maxDepth) return `must be nested at most ${maxDepth} levels deep`;
      bytes += 2;
      if (Array.isArray(v)) for (const item of v) stack.push([item, depth + 1]);
      else
        for (const [k, item] of Object.entries(v)) {
          bytes += k.length + 4;
          stack.push([item, depth + 1]);
        }
    }
    if (bytes > maxBytes) return `must be at most ${Math.round(maxBytes / 1024)} KB of JSON`;
  }
  return undefined;
}

/** A free JSON object field with depth and size caps: a 4xx naming the field, never a crash deeper down. */
export const boundedJsonObject = (limits: JsonLimits = {}) =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const problem = jsonLimitProblem(value, limits);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Any JSON value (object, array, scalar) with depth and size caps. */
export const boundedJson = (limits: JsonLimits = {}) =>
  z.unknown().superRefine((value, ctx) => {
    const problem = jsonLimitProblem(value, limits);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
