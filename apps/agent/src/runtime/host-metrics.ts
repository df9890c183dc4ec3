import { randomUUID } from "node:crypto";
import { hostname, loadavg } from "node:os";
import type { HealthReportInput, MetricSampleInput } from "@homepot/contracts/telemetry";
import si from "systeminformation";
import { AGENT_VERSION } from "./api.ts";
import type { LocalFigures } from "./local-source.ts";

/** One reading of this machine, with the ids of the two things sent from it. */
export interface HostReading {
  sample_id: string;
  taken_at: string;
  cpu_percent: number;
  memory_percent: number;
  disk_percent: number | null;
  network_latency_ms: number | null;
  bytes_in: number | null;
  bytes_out: number | null;
  uptime_s: number;
  load: number[];
  device_info: Record<string, unknown>;
}

let staticInfo: Promise<Record<string, unknown>> | undefined;
let cpuPrimed: Promise<void> | undefined;

/** CPU load is measured between two readings; the first reading of a process takes a 1 s window. */
function primeCpu(): Promise<void> {
  cpuPrimed ??= si.currentLoad().then(() => new Promise((r) => setTimeout(r, 1000)));
  return cpuPrimed;
}

/** OS and hardware facts, read once per process. */
function deviceInfo(): Promise<Record<string, unknown>> {
  staticInfo ??= Promise.all([si.osInfo(), si.system(), si.cpu()]).then(([os, sys, cpu]) => ({
    hostname: hostname(),
    os: `${os.distro} ${os.release}`.trim(),
    platform: os.platform,
    kernel: os.kernel,
    arch: os.arch,
    model: sys.model || null,
    manufacturer: sys.manufacturer || null,
    cpu: `${cpu.manufacturer} ${cpu.brand}`.trim(),
    cores: cpu.cores,
    agent_version: AGENT_VERSION,
  }));
  return staticInfo;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const pct = (n: number) => round(Math.min(100, Math.max(0, n)));

/** Reads the real host: CPU, memory, disk, network bytes, uptime, load; latency is measured by the caller. */
export async function readHost(latencyMs: number | null): Promise<HostReading> {
  await primeCpu();
  const [load, mem, fs, net, info] = await Promise.all([
    si.currentLoad(),
    si.mem(),
    si.fsSize().catch(() => []),
    si.networkStats().catch(() => []),
    deviceInfo(),
  ]);
  const root = fs.find((f) => f.mount === "/") ?? [...fs].sort((a, b) => b.size - a.size)[0];
  const rx = net.reduce((s, n) => s + (n.rx_bytes || 0), 0);
  const tx = net.reduce((s, n) => s + (n.tx_bytes || 0), 0);
  return {
    sample_id: randomUUID(),
    taken_at: new Date().toISOString(),
    cpu_percent: pct(load.currentLoad),
    // "active" excludes caches and buffers, which the kernel gives back on demand.
    memory_percent: pct((mem.active / mem.total) * 100),
    disk_percent: root ? pct(root.use) : null,
    network_latency_ms: latencyMs === null ? null : round(latencyMs),
    bytes_in: net.length ? rx : null,
    bytes_out: net.length ? tx : null,
    uptime_s: Math.round(si.time().uptime),
    load: loadavg().map((l) => round(l)),
    device_info: info,
  };
}

/** Health verdict from the reading and the local services: the first problem found, or healthy. */
export function assess(
  reading: HostReading,
  figures: LocalFigures,
): { status: "healthy" | "unhealthy"; error: string | null } {
  const broken = Object.entries(figures.services).find(([, v]) =>
    /^(error|down|stopped|failed|disconnected|offline)$/i.test(v),
  );
  if (broken) return { status: "unhealthy", error: `Service ${broken[0]} is ${broken[1]}` };
  if (reading.disk_percent !== null && reading.disk_percent >= 95)
    return { status: "unhealthy", error: "Low disk space warning" };
  if (reading.memory_percent >= 97) return { status: "unhealthy", error: "Memory exhausted" };
  return { status: "healthy", error: null };
}

/**
 * The health check body: the verdict (seed 000 §1 status, config_version, response_time_ms, error).
 * The figures, services and device info travel once, in the metrics sample: a health report that
 * carried them too would make the server store every reading twice in device_metrics.
 */
export function healthBody(
  reading: HostReading,
  figures: LocalFigures,
  configVersion: string | null,
  versions: { software_version: string | null; firmware_version: string | null } = {
    software_version: null,
    firmware_version: null,
  },
): HealthReportInput {
  const { status, error } = assess(reading, figures);
  return {
    status,
    config_version: configVersion,
    // Installed releases: the server keeps them as device columns (only when known, so nothing is cleared).
    ...(versions.software_version ? { software_version: versions.software_version } : {}),
    ...(versions.firmware_version ? { firmware_version: versions.firmware_version } : {}),
    response_time_ms: reading.network_latency_ms === null ? null : Math.round(reading.network_latency_ms),
    error,
    timestamp: reading.taken_at,
  };
}

/** The metrics sample body (SPEC §6 single-sample shape). */
export function metricsSample(deviceId: string, reading: HostReading, figures: LocalFigures): MetricSampleInput {
  return {
    device_id: deviceId,
    timestamp: reading.taken_at,
    cpu_percent: reading.cpu_percent,
    memory_percent: reading.memory_percent,
    disk_percent: reading.disk_percent,
    network_latency_ms: reading.network_latency_ms,
    transaction_count: figures.transaction_count,
    transaction_volume: figures.transaction_volume,
    error_rate: figures.error_rate,
    active_connections: figures.active_connections,
    queue_depth: figures.queue_depth,
    extra_metrics: {
      sample_id: reading.sample_id,
      uptime_seconds: reading.uptime_s,
      load_average: reading.load,
      bytes_in: reading.bytes_in,
      bytes_out: reading.bytes_out,
      services: {
        agent: "running",
        network: reading.network_latency_ms === null ? "disconnected" : "connected",
        ...figures.services,
      },
      device_info: reading.device_info,
      source: "homepot-agent",
    },
  };
}
