import { SIMULATE_TAG } from "@homepot/contracts/devices";
import type { CommandRequest, CommandResult, DeviceReport, DeviceSpec } from "@homepot/core/simulator/device-model";
import type { FleetTransport } from "@homepot/core/simulator/fleet";
import type { ReleaseToInstall } from "@homepot/core/simulator/release-install";
import { Limiter, mapLimit } from "@homepot/core/simulator/scheduler";
import type { ScheduleDay, SiteProfile } from "@homepot/core/simulator/site-activity";
import { type ApiClient, detailOf } from "./api-client.ts";
import { CliError } from "./cli-error.ts";
import { resumeSimulatedDevices, SIMULATED_SITE_DESCRIPTION } from "./simulation-cleanup.ts";

/**
 * The fleet as real HTTP agents: every device uses its own key (X-Device-ID + X-API-Key), posts its
 * health (which carries its metrics), polls /devices/pending after each report and reports results.
 */
export class HttpFleetTransport implements FleetTransport {
  readonly pollOnReport = true;
  private readonly keys = new Map<string, string>();
  private readonly limiter: Limiter;
  failures: { at: Date; what: string; status: number; detail: string }[] = [];

  constructor(
    private readonly client: ApiClient,
    private readonly options: { concurrency?: number; alsoIngestMetrics?: boolean } = {},
  ) {
    this.limiter = new Limiter(options.concurrency ?? 32);
  }

  setKey(deviceId: string, apiKey: string): void {
    this.keys.set(deviceId, apiKey);
  }

  private headers(deviceId: string): Record<string, string> {
    const key = this.keys.get(deviceId);
    if (!key) throw new Error(`no API key for ${deviceId}`);
    return { "x-device-id": deviceId, "x-api-key": key };
  }

  private fail(what: string, status: number, body: unknown): void {
    this.failures.push({ at: new Date(), what, status, detail: detailOf(body) });
    if (this.failures.length > 100) this.failures.shift();
  }

  async sendReports(reports: DeviceReport[]): Promise<number> {
    let failed = 0;
    await Promise.all(
      reports.map((r) =>
        this.limiter.run(async () => {
          const headers = this.headers(r.deviceId);
          const res = await this.client.call(
            "POST /devices/{device_id}/health",
            { params: { device_id: r.deviceId }, body: r.health, headers },
            { auth: false },
          );
          if (res.status < 200 || res.status >= 300) {
            failed += 1;
            this.fail(`health ${r.deviceId}`, res.status, res.body);
            return;
          }
          if (this.options.alsoIngestMetrics) {
            const m = await this.client.call(
              "POST /analytics/device-metrics",
              { body: r.metrics, headers },
              { auth: false },
            );
            if (m.status !== 201) this.fail(`metrics ${r.deviceId}`, m.status, m.body);
          }
        }),
      ),
    );
    return failed;
  }

  async claimCommands(deviceId: string): Promise<CommandRequest[]> {
    const res = await this.client.call("GET /devices/pending", { headers: this.headers(deviceId) }, { auth: false });
    if (!res.ok || res.status !== 200) {
      this.fail(`pending ${deviceId}`, res.status, res.body);
      return [];
    }
    const list = Array.isArray(res.body) ? res.body : [];
    return list.map((c) => ({
      commandId: c.command_id,
      commandType: c.command_type,
      payload: (c.payload ?? null) as Record<string, unknown> | null,
    }));
  }

  async reportResult(deviceId: string, commandId: string, result: CommandResult): Promise<void> {
    const res = await this.client.call(
      "POST /devices/commands/{command_id}/result",
      {
        params: { command_id: commandId },
        body: {
          status: result.status,
          result: result.result ?? undefined,
          error_message: result.error_message ?? undefined,
        },
        headers: this.headers(deviceId),
      },
      { auth: false },
    );
    if (res.status < 200 || res.status >= 300) this.fail(`result ${commandId}`, res.status, res.body);
  }

  /** `GET` the release's download path with the device's key and `Range: bytes=start-end` (206), as the agent resumes. */
  async fetchRelease(deviceId: string, release: ReleaseToInstall, start: number, end: number): Promise<Uint8Array> {
    const res = await fetch(`${this.client.base}${release.download_path}`, {
      headers: {
        ...this.headers(deviceId),
        range: `bytes=${start}-${end}`,
        "if-range": `"${release.sha256}"`,
        "accept-encoding": "identity",
        "user-agent": this.client.userAgent,
      },
      signal: AbortSignal.timeout(60_000),
    });
    const body = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 206) {
      const text = new TextDecoder().decode(body);
      const detail = detailOf(/^\s*\{/.test(text) ? JSON.parse(text) : text);
      this.fail(`release ${release.release_id} ${deviceId}`, res.status, detail);
      throw new Error(`the server refused the download (${res.status}: ${detail})`);
    }
    return body;
  }

  /** `PATCH /devices/device/{id}/permissions` with the device's key, as an agent records its owner's grant. */
  async grantPermission(deviceId: string, permission: string, osDetails: string): Promise<void> {
    const res = await this.client.request(
      "PATCH",
      `/api/v1/devices/device/${encodeURIComponent(deviceId)}/permissions`,
      {
        body: { permissions: { [permission]: true }, os_details: osDetails },
        headers: this.headers(deviceId),
        auth: false,
      },
    );
    if (res.status !== 200) throw new Error(`permissions ${deviceId}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  }
}

export interface HttpFleetPlan {
  /** Sites to spread the devices over, in order (the demo sites when none are given). */
  sites: string[];
  devices: number;
  /** Device id prefix; ids are `<prefix><nnn>`. */
  prefix: string;
}

const demoSiteNames: Record<string, { name: string; location: string }> = {
  "site-001": { name: "Main Store - Downtown", location: "Downtown" },
  "site-002": { name: "West Branch", location: "West District" },
  "site-003": { name: "East Side Mall", location: "East Side Mall, level 1" },
};

/**
 * Makes sure the sites and devices exist on the server, with a key for each device: a new device's key
 * comes with its registration; an existing one gets a rotated key (the operator's right).
 */
export async function provisionHttpFleet(
  client: ApiClient,
  transport: HttpFleetTransport,
  plan: HttpFleetPlan,
  onProgress?: (done: number, total: number) => void,
): Promise<{
  specs: DeviceSpec[];
  sites: SiteProfile[];
  registered: number;
  rotated: number;
  /** Sites this run created. */
  createdSites: string[];
}> {
  const sites: SiteProfile[] = [];
  const createdSites: string[] = [];
  for (const siteId of plan.sites) {
    const existing = await client.call("GET /sites/{site_id}", { params: { site_id: siteId } });
    if (existing.status === 404) {
      const demo = demoSiteNames[siteId];
      const created = await client.call("POST /sites", {
        body: {
          site_id: siteId,
          name: demo?.name ?? `Simulated site ${siteId}`,
          location: demo?.location ?? "Simulated",
          description: SIMULATED_SITE_DESCRIPTION,
        },
      });
      if (
        created.status === 409 &&
        (await client.call("GET /sites/{site_id}", { params: { site_id: siteId } })).status === 404
      )
        throw new CliError(`site ${siteId} was removed and site ids are never reused: choose another --site`, 2);
      if (created.status !== 201 && created.status !== 409)
        throw new CliError(`cannot create site ${siteId} (${created.status}): ${detailOf(created.body)}`);
      if (created.status === 201) createdSites.push(siteId);
    } else if (!existing.ok || existing.status !== 200) {
      throw new CliError(`cannot read site ${siteId} (${existing.status}): ${detailOf(existing.body)}`);
    } else if (existing.body?.data?.is_active === false) {
      throw new CliError(`site ${siteId} was removed and site ids are never reused: choose another --site`, 2);
    }
    sites.push({ siteId, timezone: siteTimezone(existing.body), days: await fetchSchedule(client, siteId) });
  }

  const perSite = new Map<string, number>();
  const specs: DeviceSpec[] = Array.from({ length: plan.devices }, (_, i) => {
    const siteId = plan.sites[i % plan.sites.length] as string;
    perSite.set(siteId, (perSite.get(siteId) ?? 0) + 1);
    return { deviceId: `${plan.prefix}${String(i + 1).padStart(3, "0")}`, siteId, siteDeviceCount: 0 };
  });
  for (const s of specs) s.siteDeviceCount = perSite.get(s.siteId) ?? 1;

  let registered = 0;
  let rotated = 0;
  const reused: string[] = [];
  let done = 0;
  await mapLimit(specs, 8, async (spec) => {
    const res = await client.call("POST /devices/sites/{site_id}/devices", {
      params: { site_id: spec.siteId },
      body: {
        device_id: spec.deviceId,
        name: `Simulated POS ${spec.deviceId}`,
        device_type: "pos_terminal",
        ip_address: fakeIp(done),
        config: { simulated: true },
        segment: "pos-terminals",
        is_simulated: true,
        config_version: "1.0.0",
        tags: [SIMULATE_TAG],
      },
    });
    let key = res.ok ? res.body?.api_key : undefined;
    if (res.status === 201 && key) registered += 1;
    else if (res.status === 409) {
      const rot = await client.call("POST /devices/{device_id}/api-key/rotate", {
        params: { device_id: spec.deviceId },
      });
      key = rot.ok ? rot.body?.api_key : undefined;
      if (rot.status === 404)
        throw new CliError(
          `${spec.deviceId} was removed (by \`homepot simulate --cleanup\`?) and ids are never reused: choose another --prefix`,
          2,
        );
      if (rot.status >= 300 || !key)
        throw new CliError(
          `${spec.deviceId} exists and its key cannot be rotated (${rot.status}): ${detailOf(rot.body)}`,
        );
      rotated += 1;
      reused.push(spec.deviceId);
    } else {
      throw new CliError(`cannot register ${spec.deviceId} at ${spec.siteId} (${res.status}): ${detailOf(res.body)}`);
    }
    transport.setKey(spec.deviceId, key as string);
    done += 1;
    onProgress?.(done, specs.length);
  });
  await resumeSimulatedDevices(client, reused);
  return { specs, sites, registered, rotated, createdSites };
}

function siteTimezone(body: unknown): string {
  const data = (body as { data?: { timezone?: unknown }; timezone?: unknown } | undefined) ?? {};
  const tz = data.data?.timezone ?? data.timezone;
  return typeof tz === "string" && tz.length > 0 ? tz : "UTC";
}

async function fetchSchedule(client: ApiClient, siteId: string): Promise<ScheduleDay[]> {
  const res = await client.call("GET /sites/{site_id}/schedules", { params: { site_id: siteId } });
  const rows = res.ok && res.status === 200 && Array.isArray(res.body?.schedules) ? res.body.schedules : [];
  const text = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : null);
  return rows.map((r) => ({
    dayOfWeek: Number(r.day_of_week),
    openTime: text(r.open_time),
    closeTime: text(r.close_time),
    isClosed: r.is_closed === true,
    isMaintenanceWindow: r.is_maintenance_window === true,
    expectedTransactionVolume: typeof r.expected_transaction_volume === "number" ? r.expected_transaction_volume : null,
    peakHoursStart: text(r.peak_hours_start),
    peakHoursEnd: text(r.peak_hours_end),
  }));
}

function fakeIp(n: number): string {
  return `10.${20 + (Math.floor(n / 65_025) % 200)}.${Math.floor(n / 255) % 255}.${(n % 254) + 1}`;
}
