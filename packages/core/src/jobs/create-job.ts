import { randomBytes } from "node:crypto";
import { configurationHistory, devices, jobs, sites } from "@homepot/db";
import { and, arrayContains, eq, inArray } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import { actorLabel, type Context } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { getReleaseForJob, releaseCommandPayload } from "../releases/release-for-job.ts";
import { insertOne } from "../rows.ts";
import { inScope } from "../tenants/authorize.ts";
import { findNextMaintenanceWindow } from "./find-next-maintenance-window.ts";
import type { JobRow, JobType, RolloutPolicy } from "./job.repository.ts";
import { inferJobType } from "./plan-batches.ts";

export interface CreateJobInput {
  action: string;
  jobType?: JobType | undefined;
  description?: string | undefined;
  siteId?: string | undefined;
  segment?: string | undefined;
  deviceIds?: string[] | undefined;
  /** Targets the active devices carrying every one of these tags (at the site when given), resolved now. */
  tags?: string[] | undefined;
  priority?: "high" | "normal" | "low" | undefined;
  configUrl?: string | undefined;
  configVersion?: string | undefined;
  payload?: Record<string, unknown> | undefined;
  schedule?: { at: Date } | { next_maintenance_window: true } | undefined;
  rollout?: { batches: (number | string)[]; pause_s?: number; error_threshold?: number } | undefined;
  rollbackOnDegradation?: boolean | undefined;
  /** software_update / firmware_update: the release to install. */
  releaseId?: string | undefined;
}

/** A finder of the next maintenance window; insights may pass a smarter one. */
export type WindowFinder = (ctx: Context, siteKey: string) => Promise<{ start: Date }>;

export const newJobId = () => `job-${randomBytes(4).toString("hex")}`;

/**
 * Creates a pending job (the orchestrator picks it up when due). A site-level config job also writes a
 * configuration_history row (entity site, change_type manual, changed_by the user). Audited; one transaction.
 */
export async function createJob(
  ctx: Context,
  input: CreateJobInput,
  options: { findWindow?: WindowFinder } = {},
): Promise<{ job: JobRow; siteKey: string | null }> {
  const jobType = input.jobType ?? inferJobType(input.action);
  if (!input.siteId && !input.deviceIds?.length && !input.tags?.length) {
    throw new ValidationError("Give a target: site_id, device_ids, tags, or a site with either", "site_id");
  }
  if (input.tags?.length && input.deviceIds?.length) {
    throw new ValidationError("Give device_ids or tags, not both", "tags");
  }
  const inlineConfig = input.payload?.config;
  if (
    jobType === "config_update" &&
    !input.configUrl &&
    !(inlineConfig && typeof inlineConfig === "object" && !Array.isArray(inlineConfig))
  ) {
    throw new ValidationError(
      "A config_update job needs config_url (or an inline payload.config object)",
      "config_url",
    );
  }
  if (jobType === "software_update" && !input.releaseId)
    throw new ValidationError("A software_update job needs release_id", "release_id");
  if (input.releaseId && jobType !== "software_update" && jobType !== "firmware_update")
    throw new ValidationError("release_id applies to software_update and firmware_update jobs only", "release_id");
  if (
    jobType === "firmware_update" &&
    !input.releaseId &&
    !input.configVersion &&
    !input.payload?.firmware_version &&
    !input.payload?.firmware_url
  ) {
    throw new ValidationError(
      "A firmware_update job needs payload.firmware_version, payload.firmware_url or config_version",
      "payload",
    );
  }
  if (input.rollbackOnDegradation && jobType !== "config_update" && !input.releaseId) {
    throw new ValidationError(
      "rollback_on_degradation applies to config_update jobs and release installs only",
      "rollback_on_degradation",
    );
  }
  const release = input.releaseId ? await getReleaseForJob(ctx, jobType, input.releaseId) : undefined;
  // A release job carries what the device needs to fetch and verify it (and whether to roll back on degradation).
  const payload = release
    ? {
        ...(input.payload ?? {}),
        release: releaseCommandPayload(release),
        rollback_on_degradation: input.rollbackOnDegradation ?? false,
      }
    : input.payload;

  const now = ctx.clock.now();
  let site: typeof sites.$inferSelect | undefined;
  if (input.siteId) {
    [site] = await ctx.db.select().from(sites).where(eq(sites.siteId, input.siteId)).limit(1);
    if (!site) throw new NotFoundError(`Site ${input.siteId} not found`);
    if (!site.isActive) throw new ValidationError(`Site ${input.siteId} is not active`, "site_id");
  }

  let deviceIds = input.deviceIds ? [...new Set(input.deviceIds)] : undefined;
  if (input.tags?.length) {
    deviceIds = await findTaggedDeviceIds(ctx, input.tags, site?.siteId);
    if (!deviceIds.length)
      throw new ValidationError(
        `No active device${site ? ` at site ${site.siteId}` : ""} carries the tags ${input.tags.join(", ")}`,
        "tags",
      );
  }
  if (deviceIds) {
    const found = await ctx.db
      .select({ deviceId: devices.deviceId, siteId: devices.siteId })
      .from(devices)
      .where(
        and(
          inArray(devices.deviceId, deviceIds),
          eq(devices.isActive, true),
          inScope(ctx, { site: devices.siteId }, "operate"),
        ),
      );
    const known = new Map(found.map((d) => [d.deviceId, d.siteId]));
    const missing = deviceIds.filter((id) => !known.has(id));
    if (missing.length)
      throw new ValidationError(`Unknown or deleted devices: ${missing.slice(0, 10).join(", ")}`, "device_ids");
    if (site) {
      const elsewhere = deviceIds.filter((id) => known.get(id) !== site?.siteId);
      if (elsewhere.length)
        throw new ValidationError(
          `Devices not at site ${site.siteId}: ${elsewhere.slice(0, 10).join(", ")}`,
          "device_ids",
        );
    }
  }

  let scheduledAt: Date | null = null;
  if (input.schedule && "at" in input.schedule) {
    scheduledAt = input.schedule.at;
  } else if (input.schedule) {
    if (!site) throw new ValidationError("next_maintenance_window needs a site_id", "schedule");
    const finder = options.findWindow ?? findNextMaintenanceWindow;
    scheduledAt = (await finder(ctx, site.siteId)).start;
  }

  const rollout: RolloutPolicy = {};
  if (input.rollout) {
    rollout.batches = input.rollout.batches;
    rollout.pause_s = input.rollout.pause_s ?? 0;
    rollout.error_threshold = input.rollout.error_threshold ?? 1;
  }
  if (input.rollbackOnDegradation) rollout.rollback_on_degradation = true;

  const createdBy = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const jobId = newJobId();
  const segment = input.segment ?? (deviceIds ? null : "pos-terminals");

  const job = await ctx.db.transaction(async (tx) => {
    const row = await insertOne(tx, jobs, {
      jobId,
      action: input.action,
      jobType,
      description: input.description ?? null,
      status: "pending",
      priority: input.priority ?? "normal",
      siteId: site?.id ?? null,
      segment,
      deviceIds: deviceIds ?? null,
      payload: payload ?? null,
      configUrl: input.configUrl ?? null,
      configVersion: release?.version ?? input.configVersion ?? null,
      releaseId: release?.releaseId ?? null,
      scheduledAt,
      rollout: Object.keys(rollout).length ? rollout : null,
      createdBy,
      createdAt: now,
      updatedAt: now,
    });

    if (site && jobType === "config_update" && !deviceIds) {
      // Site-level config change: remember what the site's devices ran before (for analysis and rollbacks).
      const current = await tx
        .select({ configVersion: devices.configVersion })
        .from(devices)
        .where(and(eq(devices.siteId, site.siteId), eq(devices.isActive, true)));
      const versions = [...new Set(current.map((d) => d.configVersion).filter((v): v is string => v !== null))].sort();
      await tx.insert(configurationHistory).values({
        timestamp: now,
        entityType: "site",
        entityId: site.siteId,
        parameterName: "config_version",
        oldValue: { config_versions: versions, device_count: current.length },
        newValue: { config_version: input.configVersion ?? null, config_url: input.configUrl ?? null, segment },
        changedBy: actorLabel(ctx.actor),
        changeReason: input.description ?? input.action,
        changeType: "manual",
        jobId,
      });
    }

    await recordAudit(
      ctx,
      {
        eventType: "job_created",
        description: `Job ${jobId} (${jobType}) created: ${input.action}`,
        jobId: row.id,
        siteId: site?.id ?? null,
        newValues: {
          job_id: jobId,
          job_type: jobType,
          priority: row.priority,
          site_id: site?.siteId ?? null,
          segment,
          device_ids: deviceIds ?? null,
          ...(input.tags?.length ? { tags: input.tags } : {}),
          config_version: row.configVersion,
          config_url: row.configUrl,
          scheduled_at: scheduledAt?.toISOString() ?? null,
          rollout: row.rollout,
          ...(release ? { release_id: release.releaseId, release_version: release.version } : {}),
        },
      },
      tx,
    );
    return row;
  });
  ctx.logger.info({ jobId, jobType, site: site?.siteId }, "job created");
  return { job, siteKey: site?.siteId ?? null };
}

/** Ids of the active devices carrying every tag (at `siteId` when given): a tag target resolved at creation. */
async function findTaggedDeviceIds(ctx: Context, tags: string[], siteId: string | undefined): Promise<string[]> {
  const rows = await ctx.db
    .select({ deviceId: devices.deviceId })
    .from(devices)
    .where(
      and(
        arrayContains(devices.tags, tags),
        eq(devices.isActive, true),
        siteId ? eq(devices.siteId, siteId) : undefined,
        // Tags reach only the devices of sites the caller operates in.
        inScope(ctx, { site: devices.siteId }, "operate"),
      ),
    )
    .orderBy(devices.deviceId);
  return rows.map((r) => r.deviceId);
}
