import { z } from "zod";

export const ErrorBody = z.object({
  detail: z.union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())]),
  errors: z.array(z.object({ field: z.string(), location: z.string(), message: z.string() })).optional(),
});

/** `{ success, message, data? }`: the answer of a plain write. */
export const writeResult = <T extends z.ZodType>(data: T) =>
  z.object({ success: z.literal(true), message: z.string(), data });
export const MessageResult = z.object({ success: z.literal(true), message: z.string() });

/** limit (1–1000, default 100) and offset, as every list takes. */
export const Pagination = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

/** An ISO date or datetime; a bare date means midnight UTC. */
export const IsoDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: "must be an ISO date or datetime",
  })
  .transform((s) => new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) || s.length === 10 ? s : `${s}Z`));

export const TimeRange = z.object({
  start_date: IsoDate.optional(),
  end_date: IsoDate.optional(),
});

export const Timestamp = z.string().describe("ISO 8601 timestamp (UTC)");
export const JsonValue: z.ZodType<unknown> = z.unknown();
