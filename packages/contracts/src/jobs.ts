import { z } from "zod";
import {
  boundedJsonObject,
  dataResult,
  failure,
  IsoDate,
  listResult,
  Pagination,
  TimeRange,
  Timestamp,
  withTotal,
  writeResult,
} from "./common.ts";
import { DeviceTag, MAX_DEVICE_TAGS } from "./devices.ts";
import { RELEASE_DEVICE_STATES, ReleaseId } from "./releases.ts";

export const JobTypes = ["config_update", "restart", "firmware_update", "software_update", "health_check"] as const;
export const JobType = z.enum(JobTypes);
export const JobPriority = z.enum(["high", "normal", "low"]);
export const JobStatuses = ["pending", "sent", "completed", "partial", "failed", "cancelled"] as const;
export const JobStatus = z.enum(JobStatuses);

const SiteIdField = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9._-]+$/, "must contain only letters, digits, '.', '_' or '-'");
const DeviceIdField = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, "must contain only letters, digits, '.', '_', ':' or '-'");

/** A batch size: a device count (`5`) or a share of the target devices (`"25%"`). */
export const BatchSize = z.union([
  z.number().int().min(1).max(100_000),
  z.string().regex(/^(100|[1-9]?\d)(\.\d+)?%$/, 'must be a count or a percentage like "25%"'),
]);

export const RolloutSpec = z
  .object({
    batches: z
      .array(BatchSize)
      .min(1)
      .max(100)
      .describe("Batch sizes in order; the last size repeats until every device is covered"),
    pause_s: z.number().min(0).max(86_400).default(0).describe("Pause between batches, seconds"),
    error_threshold: z
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe("Emergency stop when the share of failed devices so far exceeds this (0–1) after a batch"),
  })
  .strict();

export const JobSchedule = z.union([
  z.object({ at: IsoDate }).strict(),
  z.object({ next_maintenance_window: z.literal(true) }).strict(),
]);

const jobFields = {
  action: z.string().trim().min(1).max(100).describe('What the job does, e.g. "Update POS payment config"'),
  description: z.string().max(2000).optional(),
  priority: JobPriority.default("normal"),
  config_url: z.string().url().max(500).optional(),
  config_version: z.string().trim().min(1).max(50).optional(),
  payload: boundedJsonObject().optional(),
};

export const CreateJobBody = z
  .object({
    ...jobFields,
    job_type: JobType.optional().describe(
      "Inferred from `action` when absent (restart, firmware, health), else config_update",
    ),
    site_id: SiteIdField.optional(),
    segment: z.string().trim().min(1).max(100).optional(),
    device_ids: z.array(DeviceIdField).min(1).max(10_000).optional(),
    tags: z
      .array(DeviceTag)
      .min(1)
      .max(MAX_DEVICE_TAGS)
      .optional()
      .describe("Target the active devices carrying every one of these tags (at site_id when given)"),
    schedule: JobSchedule.optional(),
    rollout: RolloutSpec.optional(),
    rollback_on_degradation: z.boolean().default(false),
    release_id: ReleaseId.optional().describe(
      "software_update / firmware_update: the release to install (its type must match); devices already on its version, of another device type or below its min_current_version are skipped",
    ),
  })
  .strict();
export type CreateJobBody = z.infer<typeof CreateJobBody>;

/** The original's `POST /jobs/sites/{site_id}/jobs` body. */
export const CreateSiteJobBody = z.object({
  ...jobFields,
  job_type: JobType.optional(),
  device_id: DeviceIdField.optional(),
  segment: z.string().trim().min(1).max(100).optional(),
});
export const SiteJobParams = z.object({ site_id: SiteIdField });
export const JobParams = z.object({ job_id: z.string().min(1).max(100) });

export const ListJobsQuery = Pagination.extend({
  status: JobStatus.optional(),
  site_id: SiteIdField.optional(),
  job_type: JobType.optional(),
  priority: JobPriority.optional(),
  segment: z.string().max(100).optional(),
}).extend(TimeRange.shape);

/** How a config job's config meets the device's: it replaces it (inline `payload.config` or `config_url` alike). */
export const ConfigMode = z
  .enum(["replace"])
  .describe(
    "replace: the device's whole configuration becomes the job's config (inline payload.config, which wins when both are given, or the document at config_url); nothing of the previous config is kept",
  );

/** The closed-loop check of one device's config change (performance after the settling period vs before). */
export const ConfigCheck = z.enum(["waiting", "successful", "unsuccessful", "rolled_back"]);

export const JobDeviceView = z.object({
  device_id: z.string(),
  batch: z.number(),
  status: z.string(),
  command_id: z.string().nullable(),
  attempts: z.number(),
  ...failure,
  started_at: Timestamp.nullable(),
  finished_at: Timestamp.nullable(),
  config_check: ConfigCheck.nullable().describe("Config jobs: the closed-loop check of this device's change"),
  release: z
    .object({
      downloaded_bytes: z.number(),
      size_bytes: z.number(),
      percent: z.number(),
      install_result: z
        .string()
        .nullable()
        .describe(
          "installed | downloaded (no install hook) | rolled_back | refused (hash or signature); null while running",
        ),
      installed_version: z.string().nullable(),
      state: z
        .enum(RELEASE_DEVICE_STATES)
        .describe(
          "queued | downloading | installing (all bytes served: verifying and running the install hook) | installed | downloaded (no install hook) | rolled_back | failed | skipped | cancelled",
        ),
      reason: z.string().nullable().describe("Why it failed, rolled back or was skipped"),
    })
    .nullable()
    .describe("Release jobs: the device's download progress and install result"),
});

export const JobView = z.object({
  job_id: z.string(),
  action: z.string(),
  job_type: z.string(),
  description: z.string().nullable(),
  status: z.string(),
  priority: z.string(),
  site_id: z.string().nullable(),
  segment: z.string().nullable(),
  device_ids: z.array(z.string()).nullable(),
  config_url: z.string().nullable(),
  config_version: z.string().nullable(),
  release_id: z.string().nullable().describe("software_update / firmware_update: the release installed"),
  config_mode: ConfigMode.nullable().describe("Config jobs: how the config meets the device's; null otherwise"),
  payload: z.unknown(),
  rollout: z.unknown(),
  rollback_on_degradation: z.boolean(),
  error_message: z.string().nullable(),
  created_by: z.number().nullable(),
  created_at: Timestamp,
  scheduled_at: Timestamp.nullable(),
  started_at: Timestamp.nullable(),
  completed_at: Timestamp.nullable(),
  updated_at: Timestamp,
});

export const JobProgress = z.object({
  total: z.number(),
  pending: z.number(),
  sent: z.number(),
  succeeded: z.number(),
  failed: z.number(),
  skipped: z.number(),
  cancelled: z.number(),
});

/** Config jobs: the closed-loop checks of the devices that applied the change. */
export const JobConfigChecks = z.object({
  changed: z.number().describe("Devices that applied the change"),
  waiting: z.number(),
  successful: z.number(),
  unsuccessful: z.number().describe("Performance degraded or no health report came (rolled back ones included)"),
  rolled_back: z.number(),
});

export const JobDetailView = JobView.extend({
  progress: JobProgress,
  config_checks: JobConfigChecks.nullable().describe("null unless the job is a config update"),
  devices: z.array(JobDeviceView),
});

export const JobWriteResponse = writeResult(JobView);
export const JobDetailResponse = dataResult(JobDetailView);
export const JobListResponse = listResult("jobs", JobView, withTotal);
