import { z } from "zod";
import { CommandSchema, CommandStatusSchema, CommandTypeInput, ExpiresInS } from "./commands.ts";
import {
  boundedJsonObject,
  commaList,
  dataResult,
  IsoDate,
  listResult,
  Pagination,
  timestamps,
  withTotal,
  writeResult,
} from "./common.ts";

const ParamName = z
  .string()
  .trim()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,49}$/, "must be a letter or '_' then letters, digits or '_' (at most 50)");

/** One `{{name}}` placeholder of a template's payload. */
export const TemplateParameterSchema = z.object({
  name: ParamName,
  description: z.string().trim().max(500).optional(),
  default: z.string().max(4096).optional(),
  required: z.boolean().default(true),
});

const templateFields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).nullish(),
  command_type: CommandTypeInput,
  /** String values may hold `{{parameter}}` placeholders. */
  payload: boundedJsonObject().default({}),
  parameters: z.array(TemplateParameterSchema).max(20).default([]),
};

export const CreateCommandTemplateBody = z.object(templateFields).strict();
export const UpdateCommandTemplateBody = z
  .object({
    name: templateFields.name.optional(),
    description: templateFields.description,
    command_type: CommandTypeInput.optional(),
    payload: boundedJsonObject().optional(),
    parameters: z.array(TemplateParameterSchema).max(20).optional(),
  })
  .strict();

export const CommandTemplateParams = z.object({ template_id: z.string().min(1).max(64) });

export const CommandTemplateSchema = z.object({
  template_id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  command_type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  parameters: z.array(
    z.object({
      name: z.string(),
      description: z.string().optional(),
      default: z.string().optional(),
      required: z.boolean(),
    }),
  ),
  created_by: z.string().nullable(),
  ...timestamps,
});
export type CommandTemplate = z.infer<typeof CommandTemplateSchema>;

export const CommandTemplateResult = writeResult(CommandTemplateSchema);
export const CommandTemplateRead = dataResult(CommandTemplateSchema);
export const CommandTemplateList = listResult("templates", CommandTemplateSchema);

const DeviceIdField = z.string().trim().min(1).max(100);

/** Run a template on some devices or on every active device of a site, with its parameters filled in. */
export const RunCommandTemplateBody = z
  .object({
    device_ids: z.array(DeviceIdField).min(1).max(1000).optional(),
    site_id: z.string().trim().min(1).max(50).optional(),
    params: z.record(z.string(), z.string().max(4096)).default({}),
    expires_in_s: ExpiresInS.optional(),
  })
  .strict()
  .refine((b) => Boolean(b.device_ids) !== Boolean(b.site_id), {
    message: "give device_ids or site_id (one of them)",
    path: ["device_ids"],
  });

export const TemplateRunSchema = z.object({
  template_id: z.string(),
  command_type: z.string(),
  /** The payload every device got (parameters filled in). */
  payload: z.record(z.string(), z.unknown()),
  queued: z.array(z.object({ device_id: z.string(), command_id: z.string() })),
  /** Devices the command could not be queued for, with why (e.g. a missing permission). */
  failed: z.array(
    z.object({
      device_id: z.string(),
      error: z.string(),
      code: z.string(),
      missing_permissions: z.array(z.string()).optional(),
    }),
  ),
});
export type TemplateRun = z.infer<typeof TemplateRunSchema>;
export const TemplateRunResult = writeResult(TemplateRunSchema);

/** The fleet-wide command history: every command, newest first, filtered. */
export const CommandHistoryQuery = z
  .object({
    status: commaList(CommandStatusSchema),
    command_type: commaList(CommandTypeInput, { keepCase: true, max: 20 }),
    site_id: z.string().trim().min(1).max(50).optional(),
    device_id: z.string().trim().min(1).max(100).optional(),
    since: IsoDate.optional(),
    until: IsoDate.optional(),
  })
  .extend(Pagination.shape);

export const CommandHistoryEntry = CommandSchema.extend({ site_id: z.string().nullable() });
export type CommandHistoryEntry = z.infer<typeof CommandHistoryEntry>;
export const CommandHistoryResponse = listResult("commands", CommandHistoryEntry, withTotal);
