import { open } from "node:fs/promises";
import { deviceCommands } from "@homepot/db";
import { eq } from "drizzle-orm";
import { claimPendingCommands } from "../commands/claim-pending-commands.ts";
import { reportCommandResult } from "../commands/report-command-result.ts";
import type { Context } from "../context.ts";
import { recordHealthCheck } from "../health/record-health-check.ts";
import { recordHealthChecks } from "../health/record-health-checks.ts";
import { updateDevicePermissions } from "../permissions/update-device-permissions.ts";
import { openReleaseDownload, recordReleaseDownload } from "../releases/open-release-download.ts";
import type { ReleaseStore } from "../releases/release-store.ts";
import { ingestMetrics } from "../telemetry/ingest-metrics.ts";
import type { MetricsWriter } from "../telemetry/metrics-writer.ts";
import type { CommandRequest, CommandResult, DeviceReport } from "./device-model.ts";
import type { FleetTransport } from "./fleet.ts";
import type { ReleaseToInstall } from "./release-install.ts";
import { Limiter } from "./scheduler.ts";

/**
 * The fleet inside the server: each simulated device acts through the same use cases a real device's
 * requests reach (recordHealthCheck, ingestMetrics through the group-commit writer, claimPendingCommands,
 * reportCommandResult), as itself (a device actor), on the fleet's clock. Commands arrive through the command bus (`notifyCommand`), with a
 * periodic sweep for anything queued while the fleet was not listening.
 */
const BATCH = 100;

export class InProcessTransport implements FleetTransport {
  readonly pollOnReport = false;
  /** Shared by overlapping batches, so writes never exceed the pool. */
  private readonly limiter: Limiter;

  constructor(
    private readonly ctx: Context,
    private readonly writer: MetricsWriter,
    private readonly options: { concurrency?: number | undefined; releases?: (() => ReleaseStore) | undefined } = {},
  ) {
    this.limiter = new Limiter(options.concurrency ?? 8);
  }

  private as(deviceId: string): Context {
    return { ...this.ctx, actor: { kind: "device", deviceId, userAgent: "homepot-simulator" } };
  }

  /**
   * A lone report goes through recordHealthCheck exactly like a device's request; reports that came due
   * together (large fleets) through its batch form, one transaction per chunk of BATCH. The figures then
   * go through ingestMetrics and the group-commit writer, as an agent's metrics request does (the health
   * use case is told not to store them a second time).
   */
  async sendReports(reports: DeviceReport[]): Promise<number> {
    let failed = 0;
    let firstError: unknown;
    const chunks: DeviceReport[][] = [];
    for (let i = 0; i < reports.length; i += BATCH) chunks.push(reports.slice(i, i + BATCH));
    await Promise.all(
      chunks.map((chunk) =>
        this.limiter.run(async () => {
          try {
            if (chunk.length === 1) {
              const r = chunk[0] as DeviceReport;
              await recordHealthCheck(this.as(r.deviceId), r.deviceId, r.health, { storeMetrics: false });
              await this.ingest(chunk);
            } else {
              const outcome = await recordHealthChecks(
                this.ctx,
                chunk.map((r) => ({ deviceId: r.deviceId, report: r.health })),
                { storeMetrics: false },
              );
              failed += chunk.length - outcome.recorded;
              const missing = new Set(outcome.missing);
              await this.ingest(chunk.filter((r) => !missing.has(r.deviceId)));
            }
          } catch (error) {
            failed += chunk.length;
            firstError ??= error;
          }
        }),
      ),
    );
    if (firstError)
      this.ctx.logger.warn({ err: firstError, failed, of: reports.length }, "simulator: health reports failed");
    return failed;
  }

  /** Each device's sample as its own ingest request; the writer commits the concurrent ones together. */
  private async ingest(reports: DeviceReport[]): Promise<void> {
    await Promise.all(
      reports.map((r) => ingestMetrics(this.as(r.deviceId), r.deviceId, [r.metrics], { writer: this.writer })),
    );
  }

  async claimCommands(deviceId: string): Promise<CommandRequest[]> {
    const rows = await claimPendingCommands(this.as(deviceId), deviceId);
    return rows.map((r) => ({
      commandId: r.commandId,
      commandType: r.commandType,
      payload: (r.payload as Record<string, unknown> | null) ?? null,
    }));
  }

  async reportResult(deviceId: string, commandId: string, result: CommandResult): Promise<void> {
    await reportCommandResult(this.as(deviceId), deviceId, commandId, {
      status: result.status,
      result: result.result ?? undefined,
      error_message: result.error_message,
    });
  }

  /**
   * A byte range of a release, as the download route serves a device: only a compatible release its job is
   * delivering (openReleaseDownload), recorded per device for the job page's progress.
   */
  async fetchRelease(deviceId: string, release: ReleaseToInstall, start: number, end: number): Promise<Uint8Array> {
    const store = this.options.releases?.();
    if (!store) throw new Error("this server has no release repository");
    const ctx = this.as(deviceId);
    const download = await openReleaseDownload(ctx, store, release.release_id);
    const file = await open(download.path, "r");
    try {
      const buffer = Buffer.alloc(Math.max(0, Math.min(end, download.release.sizeBytes - 1) - start + 1));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, start);
      await recordReleaseDownload(ctx, {
        releaseId: release.release_id,
        deviceId,
        jobId: download.jobId,
        bytes: bytesRead,
        end: start + bytesRead,
      });
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async grantPermission(deviceId: string, permission: string, osDetails: string): Promise<void> {
    await updateDevicePermissions(this.as(deviceId), deviceId, {
      permissions: { [permission]: true },
      os_details: osDetails,
    });
  }

  /** Devices of the fleet with pending commands (one query, whatever the fleet size). */
  async devicesWithPendingCommands(): Promise<string[]> {
    const rows = await this.ctx.db
      .selectDistinct({ deviceId: deviceCommands.deviceId })
      .from(deviceCommands)
      .where(eq(deviceCommands.status, "pending"))
      .limit(5000);
    return rows.map((r) => r.deviceId);
  }
}
