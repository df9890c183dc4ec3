import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createUser, systemContext } from "@homepot/core";
import { registerDevice } from "@homepot/core/devices/register-device";
import { createSite } from "@homepot/core/sites/create-site";
import { jobDevices, jobs, openDatabase } from "@homepot/db";
import { startChild } from "../lib/child.ts";
import { round } from "../lib/load.ts";
import { startBenchServer } from "../lib/server.ts";
import type { BenchOptions } from "../lib/types.ts";

const staticScript = fileURLToPath(new URL("../lib/static-server.ts", import.meta.url));
const MiB = 1024 * 1024;

/** Downloads again and again from `concurrency` clients for `durationMs`; answers MB/s (1 MB = 2^20 bytes). */
async function throughput(concurrency: number, durationMs: number, downloadOnce: () => Promise<number>) {
  const until = Date.now() + durationMs;
  const started = Date.now();
  let bytes = 0;
  let downloads = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        bytes += await downloadOnce();
        downloads += 1;
      }
    }),
  );
  return { mbPerS: bytes / MiB / ((Date.now() - started) / 1000), downloads };
}

/** Reads a response body to the end, counting its bytes (nothing kept). */
async function drain(res: Response, expected: number[]): Promise<number> {
  if (!expected.includes(res.status)) throw new Error(`download answered ${res.status}: ${await res.text()}`);
  let n = 0;
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.length;
  return n;
}

/**
 * Release download throughput: MB/s a device gets from GET /releases/{id}/download in 4 MiB Range requests (its key
 * checked, compatibility and job assignment checked per request, each response recorded in release_downloads)
 * ÷ MB/s of the same file from a bare Fastify route streaming it whole, same clients, same box, same run.
 */
export async function run(options: BenchOptions): Promise<Record<string, number>> {
  const size = (options.quick ? 16 : 64) * MiB;
  const rangeBytes = 4 * MiB;
  const durationMs = (options.quick ? 3 : 10) * 1000;
  const concurrency = options.quick ? 4 : 8;
  const dir = mkdtempSync(join(tmpdir(), "homepot-bench-release-"));
  const file = join(dir, "artifact.bin");
  const bytes = randomBytes(size);
  writeFileSync(file, bytes);

  // An operator to upload with, and a device a job is delivering the release to.
  const database = await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 2 });
  const ctx = systemContext(database.db, "bench");
  const operator = { email: "bench-operator@example.com", password: "bench-operator-password" };
  let device: { id: string; key: string };
  try {
    await createUser(ctx, { ...operator, role: "operator", username: "bench_operator" });
    await createSite(ctx, { siteId: "site-bench", name: "Bench Store", location: "Bench" });
    const reg = await registerDevice(ctx, "site-bench", {
      deviceId: "pos-bench-1",
      name: "Bench POS",
      deviceType: "pos_terminal",
    });
    device = { id: reg.device.deviceId, key: reg.apiKey };
  } catch (error) {
    await database.close();
    throw error;
  }

  const server = await startBenchServer(options.databaseUrl, {}, { HOMEPOT_DATA_DIR: dir });
  const bare = await startChild(staticScript, { BENCH_STATIC_FILE: file });
  const rates: Record<"release" | "bare", number[]> = { release: [], bare: [] };
  let releaseDownloads = 0;
  try {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(operator),
    });
    const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const open = await fetch(`${server.url}/api/v1/releases/uploads`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({
        name: "bench-app",
        version: "1.0.0",
        release_type: "software",
        size_bytes: size,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      }),
    });
    const uploadId = ((await open.json()) as { data: { upload_id: string } }).data.upload_id;
    for (let offset = 0; offset < size; offset += 8 * MiB) {
      const put = await fetch(`${server.url}/api/v1/releases/uploads/${uploadId}`, {
        method: "PATCH",
        headers: {
          ...auth,
          "content-type": "application/offset+octet-stream",
          "upload-offset": String(offset),
        },
        body: bytes.subarray(offset, offset + 8 * MiB),
      });
      if (put.status !== 200) throw new Error(`upload chunk answered ${put.status}: ${await put.text()}`);
    }
    const done = await fetch(`${server.url}/api/v1/releases/uploads/${uploadId}/complete`, {
      method: "POST",
      headers: auth,
      body: "{}",
    });
    if (done.status !== 201) throw new Error(`upload complete answered ${done.status}: ${await done.text()}`);
    const releaseId = ((await done.json()) as { data: { release_id: string } }).data.release_id;
    // The job that delivers it to the device (as the orchestrator leaves it while the device installs).
    await database.db.insert(jobs).values({
      jobId: "job-bench-release",
      action: "Install bench-app 1.0.0",
      jobType: "software_update",
      status: "sent",
      releaseId,
      deviceIds: [device.id],
    });
    await database.db.insert(jobDevices).values({ jobId: "job-bench-release", deviceId: device.id, status: "sent" });

    const url = `${server.url}/api/v1/releases/${releaseId}/download`;
    const headers = { "x-device-id": device.id, "x-api-key": device.key, "accept-encoding": "identity" };
    const inRanges = async () => {
      let n = 0;
      for (let start = 0; start < size; start += rangeBytes) {
        const range = `bytes=${start}-${Math.min(size, start + rangeBytes) - 1}`;
        n += await drain(await fetch(url, { headers: { ...headers, range } }), [206]);
      }
      if (n !== size) throw new Error(`ranged download got ${n} of ${size} bytes`);
      return n;
    };
    const whole = async () => drain(await fetch(`${bare.url}/file`), [200]);
    await inRanges(); // warm-up
    await whole();
    // Rounds alternate, so load from elsewhere on the machine falls on both sides alike.
    for (let round_ = 0; round_ < (options.quick ? 2 : 3); round_ += 1) {
      const release = await throughput(concurrency, durationMs, inRanges);
      rates.release.push(release.mbPerS);
      releaseDownloads += release.downloads;
      rates.bare.push((await throughput(concurrency, durationMs, whole)).mbPerS);
      options.log(
        `round ${round_ + 1}: release download in ${rangeBytes / MiB} MiB ranges ${round(release.mbPerS, 1)} MB/s, bare static route (whole file) ${round(rates.bare.at(-1) ?? 0, 1)} MB/s`,
      );
    }
  } finally {
    await bare.stop();
    await server.stop();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const releaseMbPerS = mean(rates.release);
  const staticMbPerS = mean(rates.bare);

  return {
    release_download_ratio: round(releaseMbPerS / staticMbPerS),
    release_download_mb_per_s: round(releaseMbPerS, 1),
    static_file_mb_per_s: round(staticMbPerS, 1),
    release_download_file_mb: size / MiB,
    release_download_range_mb: rangeBytes / MiB,
    release_download_clients: concurrency,
    release_downloads: releaseDownloads,
  };
}
