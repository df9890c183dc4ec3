import { createHash, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { releaseManifest } from "@homepot/contracts/releases";
import { auditLogs, devices, releaseDownloads } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice } from "../devices/device-factories.ts";
import { assignRelease, sendChunk, uploadRelease } from "./release-testing.ts";

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
let operator: Awaited<ReturnType<typeof loginAs>>;
let viewer: Awaited<ReturnType<typeof loginAs>>;
const offline = generateKeyPairSync("ed25519");
const offlinePem = offline.publicKey.export({ type: "spki", format: "pem" }).toString();

beforeAll(async () => {
  const keysFile = join(process.env.TMPDIR ?? "/tmp", `trusted-${process.pid}-${Date.now()}.pem`);
  writeFileSync(keysFile, offlinePem);
  t = await createTestApp({
    env: { HOMEPOT_RELEASE_MAX_MB: "1", HOMEPOT_RELEASE_QUOTA_MB: "3", HOMEPOT_RELEASE_TRUSTED_KEYS: keysFile },
  });
  admin = await loginAs(t, "admin");
  operator = await loginAs(t, "operator");
  viewer = await loginAs(t, "viewer");
});
afterAll(async () => t.close());

const url = (path: string) => `/api/v1/releases${path}`;
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("resumable upload", () => {
  it("takes chunks at the right offset, names the offset to resume at, and signs the release with the server key", async () => {
    const bytes = randomBytes(200_000);
    const start = await t.app.inject({
      method: "POST",
      url: url("/uploads"),
      headers: operator.headers,
      payload: {
        name: "pos-app",
        version: "4.2.0",
        release_type: "software",
        size_bytes: bytes.length,
        filename: "pos-app-4.2.0.tar.gz",
        notes: "Faster checkout",
        compatibility: {
          device_types: ["pos_terminal", "kiosk"],
          os_families: ["linux"],
          min_current_version: "4.0.0",
        },
      },
    });
    expect(start.statusCode, start.body).toBe(201);
    const uploadId = start.json().data.upload_id;
    expect(start.json().data).toMatchObject({ offset: 0, size_bytes: 200_000, status: "open" });

    expect((await sendChunk(t, operator.headers, uploadId, 0, bytes.subarray(0, 120_000))).json().data.offset).toBe(
      120_000,
    );
    const wrong = await sendChunk(t, operator.headers, uploadId, 0, bytes.subarray(0, 10));
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().detail).toMatch(/resume at 120000/);
    const early = await t.app.inject({
      method: "POST",
      url: url(`/uploads/${uploadId}/complete`),
      headers: operator.headers,
    });
    expect(early.statusCode).toBe(409);
    const status = await t.app.inject({ method: "GET", url: url(`/uploads/${uploadId}`), headers: operator.headers });
    expect(status.json().data.offset).toBe(120_000);
    expect((await sendChunk(t, operator.headers, uploadId, 120_000, bytes.subarray(120_000))).statusCode).toBe(200);
    const done = await t.app.inject({
      method: "POST",
      url: url(`/uploads/${uploadId}/complete`),
      headers: operator.headers,
    });
    expect(done.statusCode, done.body).toBe(201);
    const release = done.json().data;
    expect(release).toMatchObject({
      release_id: expect.stringMatching(/^rel-[0-9a-f]{8}$/),
      sha256: sha(bytes),
      size_bytes: 200_000,
      signed_by: "server",
      status: "active",
      compatibility: { device_types: ["pos_terminal", "kiosk"], os_families: ["linux"], min_current_version: "4.0.0" },
    });
    const key = (await t.app.inject({ method: "GET", url: url("/public-key") })).json().data;
    expect(key.public_key).toBe(release.signing_key);
    expect(
      verify(null, Buffer.from(releaseManifest(release)), key.public_key, Buffer.from(release.signature, "base64")),
    ).toBe(true);
    const stored = join(t.config.dataDir, "releases", "blobs", release.sha256.slice(0, 2), release.sha256);
    expect(existsSync(stored)).toBe(true);

    const again = await t.app.inject({
      method: "POST",
      url: url("/uploads"),
      headers: operator.headers,
      payload: { name: "pos-app", version: "4.2.0", release_type: "software", size_bytes: 10 },
    });
    expect(again.statusCode).toBe(409);
    const [audit] = await t.database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.eventType, "release_created"), eq(auditLogs.userId, operator.user.id)));
    expect(audit?.description).toContain(release.release_id);
  });

  it("answers 413 for an artifact over the limit, an upload over the quota, and a chunk past the declared size", async () => {
    const big = await t.app.inject({
      method: "POST",
      url: url("/uploads"),
      headers: operator.headers,
      payload: { name: "huge", version: "1", release_type: "firmware", size_bytes: 2 * 1024 * 1024 },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toMatch(/size_bytes: .*over the 1 MB limit/);
    const opened = [];
    for (let i = 0; i < 2; i += 1) {
      const r = await t.app.inject({
        method: "POST",
        url: url("/uploads"),
        headers: operator.headers,
        payload: { name: "fill", version: `${i}`, release_type: "firmware", size_bytes: 1024 * 1024 },
      });
      opened.push(r);
    }
    expect(opened.map((r) => r.statusCode)).toEqual([201, 201]);
    const over = await t.app.inject({
      method: "POST",
      url: url("/uploads"),
      headers: operator.headers,
      payload: { name: "fill", version: "3", release_type: "firmware", size_bytes: 1024 * 1024 },
    });
    expect(over.statusCode).toBe(413);
    expect(over.json().detail).toMatch(/quota/);
    const uploadId = opened[0]!.json().data.upload_id;
    const past = await sendChunk(t, operator.headers, uploadId, 0, randomBytes(1024 * 1024 + 1));
    expect(past.statusCode).toBe(413);
    const status = await t.app.inject({ method: "GET", url: url(`/uploads/${uploadId}`), headers: operator.headers });
    expect(status.json().data.offset).toBe(0);
  });

  it("drops an upload whose bytes do not match the declared sha256 (422)", async () => {
    const bytes = randomBytes(1000);
    const start = await t.app.inject({
      method: "POST",
      url: url("/uploads"),
      headers: operator.headers,
      payload: { name: "tampered", version: "1", release_type: "software", size_bytes: 1000, sha256: "a".repeat(64) },
    });
    const uploadId = start.json().data.upload_id;
    await sendChunk(t, operator.headers, uploadId, 0, bytes);
    const done = await t.app.inject({
      method: "POST",
      url: url(`/uploads/${uploadId}/complete`),
      headers: operator.headers,
    });
    expect(done.statusCode).toBe(422);
    expect(done.json().detail).toMatch(/^sha256: the uploaded bytes hash to/);
  });

  it("accepts an offline signature by a trusted key, refuses a wrong one or an untrusted key", async () => {
    const bytes = randomBytes(5000);
    const meta = { name: "fw-offline", version: "2.0.0", release_type: "firmware" as const, sha256: sha(bytes) };
    const good = sign(null, Buffer.from(releaseManifest(meta)), offline.privateKey).toString("base64");
    const release = await uploadRelease(t, operator.headers, bytes, {
      ...meta,
      signature: good,
      public_key: offlinePem,
    });
    expect(release).toMatchObject({ signed_by: "offline", signature: good });

    const stranger = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    const untrusted = await t.app.inject({
      method: "POST",
      url: url("/uploads"),
      headers: operator.headers,
      payload: { ...meta, version: "2.0.1", size_bytes: 5000, signature: good, public_key: stranger },
    });
    expect(untrusted.statusCode).toBe(422);
    expect(untrusted.json().detail).toMatch(/public_key: not one of the server's trusted/);

    const start = await t.app.inject({
      method: "POST",
      url: url("/uploads"),
      headers: operator.headers,
      payload: { ...meta, version: "2.0.2", size_bytes: 5000, signature: good, public_key: offlinePem },
    });
    const uploadId = start.json().data.upload_id;
    await sendChunk(t, operator.headers, uploadId, 0, bytes);
    const bad = await t.app.inject({
      method: "POST",
      url: url(`/uploads/${uploadId}/complete`),
      headers: operator.headers,
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toMatch(/^signature: does not verify/);
  });

  it("needs an operator to upload and a viewer to read", async () => {
    await expectRequiresRole(t, { method: "POST", url: url("/uploads"), payload: {} }, "operator");
    await expectRequiresRole(t, { method: "GET", url: url("/") }, "viewer");
    await expectRequiresRole(t, { method: "DELETE", url: url("/rel-00000000") }, "admin");
  });
});

describe("list, show, deprecate, delete", () => {
  it("lists with filters, shows usage, deprecates, and deletes only what nothing uses", async () => {
    const bytes = randomBytes(3000);
    const release = await uploadRelease(t, operator.headers, bytes, {
      release_type: "firmware",
      compatibility: { device_types: ["kiosk"] },
    });
    const list = await t.app.inject({
      method: "GET",
      url: url("/?release_type=firmware&device_type=kiosk"),
      headers: viewer.headers,
    });
    expect(list.json().releases.map((r: { release_id: string }) => r.release_id)).toContain(release.release_id);
    const posOnly = await t.app.inject({ method: "GET", url: url("/?device_type=scale"), headers: viewer.headers });
    expect(posOnly.json().releases.map((r: { release_id: string }) => r.release_id)).not.toContain(release.release_id);

    const { device } = await makeDevice(t, { deviceType: "kiosk" });
    const jobId = await assignRelease(t, release.release_id, device.deviceId);
    const { device: running } = await makeDevice(t, { deviceType: "kiosk" });
    await t.database.db.update(devices).set({ firmwareVersion: "4.2.0" }).where(eq(devices.id, running.id));
    const shown = await t.app.inject({ method: "GET", url: url(`/${release.release_id}`), headers: viewer.headers });
    expect(shown.json().data).toMatchObject({
      jobs: 1,
      installed_on: 1,
      running_devices: [{ device_id: running.deviceId, site_id: running.siteId }],
      delivering_jobs: [{ job_id: jobId, status: "sent" }],
    });
    await t.database.db.update(devices).set({ firmwareVersion: null }).where(eq(devices.id, running.id));
    const refused = await t.app.inject({
      method: "DELETE",
      url: url(`/${release.release_id}`),
      headers: admin.headers,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/1 job\(s\) deliver it/);
    expect(jobId).toMatch(/^job-/);

    const dep = await t.app.inject({
      method: "POST",
      url: url(`/${release.release_id}/deprecate`),
      headers: operator.headers,
    });
    expect(dep.json().data.status).toBe("deprecated");
    expect(
      (await t.app.inject({ method: "POST", url: url(`/${release.release_id}/deprecate`), headers: operator.headers }))
        .statusCode,
    ).toBe(409);

    const unused = await uploadRelease(t, operator.headers, randomBytes(100));
    const del = await t.app.inject({ method: "DELETE", url: url(`/${unused.release_id}`), headers: admin.headers });
    expect(del.statusCode).toBe(200);
    expect(existsSync(join(t.config.dataDir, "releases", "blobs", unused.sha256.slice(0, 2), unused.sha256))).toBe(
      false,
    );
    expect(
      (await t.app.inject({ method: "GET", url: url(`/${unused.release_id}`), headers: viewer.headers })).statusCode,
    ).toBe(404);
  });
});

describe("download", () => {
  it("serves a device only a compatible release its job assigns, in ranges it can resume, and records its progress", async () => {
    const bytes = randomBytes(100_000);
    const release = await uploadRelease(t, operator.headers, bytes, {
      compatibility: { device_types: ["pos_terminal"] },
    });
    const dl = url(`/${release.release_id}/download`);
    const pos = await makeDevice(t);
    const kiosk = await makeDevice(t, { deviceType: "kiosk" });

    const unassigned = await t.app.inject({ method: "GET", url: dl, headers: pos.headers });
    expect(unassigned.statusCode).toBe(403);
    expect(unassigned.json().detail).toMatch(/No job of device/);
    await assignRelease(t, release.release_id, kiosk.device.deviceId);
    const incompatible = await t.app.inject({ method: "GET", url: dl, headers: kiosk.headers });
    expect(incompatible.statusCode).toBe(403);
    expect(incompatible.json().detail).toMatch(/device type kiosk/);
    expect(
      (
        await t.app.inject({
          method: "GET",
          url: dl,
          headers: { "x-device-id": pos.device.deviceId, "x-api-key": "nope" },
        })
      ).statusCode,
    ).toBe(401);
    expect((await t.app.inject({ method: "GET", url: dl, headers: viewer.headers })).statusCode).toBe(403);

    const jobId = await assignRelease(t, release.release_id, pos.device.deviceId);
    const first = await t.app.inject({ method: "GET", url: dl, headers: { ...pos.headers, range: "bytes=0-39999" } });
    expect(first.statusCode).toBe(206);
    expect(first.headers["content-range"]).toBe("bytes 0-39999/100000");
    expect(first.headers.etag).toBe(`"${release.sha256}"`);
    const rest = await t.app.inject({
      method: "GET",
      url: dl,
      headers: { ...pos.headers, range: "bytes=40000-", "if-range": `"${release.sha256}"` },
    });
    expect(rest.statusCode).toBe(206);
    expect(sha(Buffer.concat([first.rawPayload, rest.rawPayload]))).toBe(release.sha256);

    const stale = await t.app.inject({
      method: "GET",
      url: dl,
      headers: { ...pos.headers, range: "bytes=5-", "if-range": '"old"' },
    });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload.length).toBe(100_000);
    const outside = await t.app.inject({ method: "GET", url: dl, headers: { ...pos.headers, range: "bytes=100000-" } });
    expect(outside.statusCode).toBe(416);
    expect(outside.headers["content-range"]).toBe("bytes */100000");

    // Recorded when each response closes.
    const progress = async () =>
      (
        await t.database.db
          .select()
          .from(releaseDownloads)
          .where(
            and(eq(releaseDownloads.releaseId, release.release_id), eq(releaseDownloads.deviceId, pos.device.deviceId)),
          )
      )[0];
    await expect.poll(progress).toMatchObject({ jobId, highWater: 100_000, bytesServed: 200_000, requests: 3 });
  });

  it("compresses a whole-file download when asked, never a range; an operator may fetch any release", async () => {
    const bytes = Buffer.alloc(50_000, "homepot ");
    const release = await uploadRelease(t, operator.headers, bytes);
    const dl = url(`/${release.release_id}/download`);
    const gz = await t.app.inject({
      method: "GET",
      url: dl,
      headers: { ...operator.headers, "accept-encoding": "gzip" },
    });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.rawPayload.length).toBeLessThan(5000);
    const { gunzipSync } = await import("node:zlib");
    expect(sha(gunzipSync(gz.rawPayload))).toBe(release.sha256);
    const ranged = await t.app.inject({
      method: "GET",
      url: dl,
      headers: { ...operator.headers, "accept-encoding": "gzip", range: "bytes=0-9" },
    });
    expect(ranged.headers["content-encoding"]).toBeUndefined();
    expect(ranged.rawPayload.toString()).toBe("homepot ho");
  });
});

describe("version distribution", () => {
  it("counts active devices per version and release name, fleet-wide and per site, for viewers", async () => {
    const release = await uploadRelease(t, operator.headers, randomBytes(500), {
      version: "7.1.0",
      compatibility: { device_types: ["pos_terminal"] },
    });
    const older = await uploadRelease(t, operator.headers, randomBytes(500), {
      name: release.name,
      version: "7.0.9",
      compatibility: { device_types: ["pos_terminal"] },
    });
    expect(older.version).toBe("7.0.9");
    const { siteId } = await makeDevice(t);
    const other = (await makeDevice(t)).siteId;
    const at = async (site: string, deviceType: string, version: string | null) => {
      const { device } = await makeDevice(t, { siteId: site, deviceType });
      await t.database.db.update(devices).set({ softwareVersion: version }).where(eq(devices.id, device.id));
    };
    await at(siteId, "pos_terminal", "7.1.0");
    await at(siteId, "pos_terminal", "7.1.0");
    await at(siteId, "pos_terminal", "7.0.9");
    await at(siteId, "kiosk", "7.1.0"); // no release of that version runs on a kiosk
    await at(other, "pos_terminal", "7.1.0");

    const one = await t.app.inject({
      method: "GET",
      url: url(`/versions?site_id=${siteId}`),
      headers: viewer.headers,
    });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json().data).toEqual({
      release_type: "software",
      site_id: siteId,
      total_devices: 5,
      fleet: [
        { name: release.name, version: "7.1.0", devices: 2 },
        { name: null, version: "7.1.0", devices: 1 },
        { name: release.name, version: "7.0.9", devices: 1 },
        { name: null, version: null, devices: 1 },
      ],
      sites: [{ site_id: siteId, versions: expect.any(Array) }],
    });

    const fleet = (await t.app.inject({ method: "GET", url: url("/versions"), headers: viewer.headers })).json().data;
    expect(fleet.fleet).toContainEqual({ name: release.name, version: "7.1.0", devices: 3 });
    expect(fleet.sites.find((s: { site_id: string }) => s.site_id === other).versions).toEqual([
      { name: release.name, version: "7.1.0", devices: 1 },
      { name: null, version: null, devices: 1 },
    ]);
    const firmware = await t.app.inject({
      method: "GET",
      url: url(`/versions?release_type=firmware&site_id=${siteId}`),
      headers: viewer.headers,
    });
    expect(firmware.json().data.fleet).toEqual([{ name: null, version: null, devices: 5 }]);
    const bad = await t.app.inject({ method: "GET", url: url("/versions?release_type=os"), headers: viewer.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/release_type/);
    await expectRequiresRole(t, { method: "GET", url: url("/versions") }, "viewer");
  });
});
