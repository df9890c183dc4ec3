import { z } from "zod";
import {
  boundedJson,
  boundedJsonObject,
  commaList,
  createdBy,
  IsoDate,
  listResult,
  Pagination,
  Timestamp,
  withTotal,
  writeResult,
} from "./common.ts";

const COMMAND_TYPE_NAMES = [
  "ping",
  "restart",
  "reboot",
  "update_config",
  "run_health_check",
  "restart_agent",
  "update_firmware",
  "status_request",
  "run_command",
  "run_script",
  "request_permission",
] as const;

/** Any case, `_`/`-`/space separated; the use case normalises it to the stored uppercase form. */
export const CommandTypeInput = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .refine((s) => (COMMAND_TYPE_NAMES as readonly string[]).includes(s.toLowerCase().replace(/[\s-]+/g, "_")), {
    message: `must be one of ${COMMAND_TYPE_NAMES.join(", ")}`,
  });

/** When a queued command expires, in seconds from now (1 s – 30 days). */
export const ExpiresInS = z.coerce
  .number()
  .int()
  .min(1)
  .max(30 * 24 * 3600);

export const CommandStatusSchema = z.enum(["pending", "sent", "succeeded", "failed", "expired", "cancelled"]);

export const QueueCommandBody = z
  .object({
    command_type: CommandTypeInput,
    payload: boundedJsonObject().nullish(),
    /** Absolute expiry (ISO datetime) … */
    expires_at: IsoDate.optional(),
    /** … or seconds from now. */
    expires_in_s: ExpiresInS.optional(),
  })
  .refine((b) => !(b.expires_at && b.expires_in_s), {
    message: "give expires_at or expires_in_s, not both",
    path: ["expires_in_s"],
  });

export const DeviceIdParams = z.object({ device_id: z.string().min(1).max(100) });
export const CommandIdParams = z.object({ command_id: z.string().min(1).max(64) });
export const DeviceCommandParams = DeviceIdParams.extend({ command_id: z.string().min(1).max(64) });

export const ListCommandsQuery = z
  .object({
    status: commaList(CommandStatusSchema),
  })
  .extend(Pagination.shape);

/** What a device reported when it finished (a command, a job it ran): its result and error message. */
export const reportedOutcome = { result: z.unknown(), error_message: z.string().nullable() };

export const CommandSchema = z.object({
  command_id: z.string(),
  device_id: z.string(),
  command_type: z.string(),
  payload: z.unknown(),
  status: z.string(),
  /** Where it stands: queued → sent → acknowledged → executed → completed | failed | expired | cancelled. */
  lifecycle: z.enum(["queued", "sent", "acknowledged", "executed", "completed", "failed", "expired", "cancelled"]),
  job_id: z.string().nullable(),
  /** Who queued it. */
  ...createdBy,
  created_at: Timestamp,
  sent_at: Timestamp.nullable(),
  acked_at: Timestamp.nullable(),
  /** When the device started running it. */
  executed_at: Timestamp.nullable(),
  completed_at: Timestamp.nullable(),
  cancelled_at: Timestamp.nullable(),
  expires_at: Timestamp.nullable(),
  ...reportedOutcome,
  delivery_count: z.number().int(),
});
export type Command = z.infer<typeof CommandSchema>;

export const CommandResponse = writeResult(CommandSchema);
export const CommandListResponse = listResult("commands", CommandSchema, withTotal);

/** One element of the bare array `GET /devices/pending` answers (compatibility wire: lowercase type). */
export const PendingCommandSchema = CommandSchema.pick({
  command_id: true,
  command_type: true,
  payload: true,
  created_at: true,
  expires_at: true,
});
export type PendingCommand = z.infer<typeof PendingCommandSchema>;
export const PendingCommandsResponse = z.array(PendingCommandSchema);

/** A device's report of how a command ended; `statuses` in the order the error message lists them. */
const commandOutcome = (
  statuses: readonly ["succeeded" | "failed" | "completed", ...("succeeded" | "failed" | "completed")[]],
) =>
  z.object({
    status: z.string().trim().toLowerCase().pipe(z.enum(statuses)),
    result: boundedJson().optional(),
    error_message: z.string().max(10_000).nullish(),
  });

export const CommandResultBody = commandOutcome(["succeeded", "failed", "completed"]);
export type CommandResultBody = z.input<typeof CommandResultBody>;

/** The original agents' `PUT /devices/{command_id}/status` body. */
export const CompatCommandStatusBody = commandOutcome(["completed", "failed", "succeeded"]);

export const PushAckBody = z.object({
  message_id: z.string().trim().min(1).max(100),
  device_id: z.string().trim().min(1).max(100),
  status: z.string().trim().min(1).max(50),
});

/** The MQTT nudge published on `homepot/devices/{device_id}/commands`: no payload, no secrets. */
export const CommandNudge = z.object({
  type: z.literal("commands_pending"),
  message_id: z.string(),
  device_id: z.string(),
  sent_at: Timestamp,
});
export type CommandNudge = z.infer<typeof CommandNudge>;
export const commandNudgeTopic = (deviceId: string) => `homepot/devices/${deviceId}/commands`;
/** The original HOMEPOT's topic, published too so its agents wake up as well. */
export const legacyCommandNudgeTopic = (deviceId: string) => `devices/${deviceId}/commands`;

/** `POST /devices/{device_id}/commands/{command_id}/ack`: received (stamps acknowledged) or executing (stamps executed). */
export const CommandAckBody = z
  .object({
    status: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(["received", "acknowledged", "delivered", "executing", "running", "started"]))
      .default("acknowledged"),
  })
  .default({ status: "acknowledged" });
