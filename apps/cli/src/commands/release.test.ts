import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { releaseManifest } from "@homepot/contracts/releases";
import { createUser } from "@homepot/core";
import { verifyText } from "@homepot/core/releases/release-key";
import { releases } from "@homepot/db";
import { createTestApp, loginAs, type TestApp } from "@homepot/server/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../testing.ts";

const dir = mkdtempSync(join(tmpdir(), "homepot-release-cli-"));
const admin = { email: "release-admin@example.com", password: "release-password-1" };
let t: TestApp;
let auth: string[];
let trustedKey: string;

/** A file of random bytes in the test folder. */
function artifact(name: string, size: number): { path: string; bytes: Buffer } {
  const bytes = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

beforeAll(async () => {
  const keygen = await runCli(["release", "keygen", "--out", join(dir, "offline.pem")]);
  expect(keygen.code, keygen.stderr).toBe(0);
  trustedKey = keygen.stdout.slice(keygen.stdout.indexOf("-----BEGIN"));
  writeFileSync(join(dir, "trusted.pem"), trustedKey);
  t = await createTestApp({ env: { HOMEPOT_RELEASE_TRUSTED_KEYS: join(dir, "trusted.pem") } });
  const server = await t.app.listen({ port: 0, host: "127.0.0.1" });
  await createUser(t.ctx, { ...admin, username: "release_admin", role: "admin" });
  auth = ["--server", server, "--email", admin.email, "--password", admin.password];
}, 300_000);
afterAll(async () => t?.close());

const rowOf = async (releaseId: string) =>
  (await t.database.db.select().from(releases).where(eq(releases.releaseId, releaseId)))[0];

describe("homepot release against a server", () => {
  it("push streams a file in chunks with a progress line; the server stores exactly those bytes, signed by its key", async () => {
    const { path, bytes } = artifact("pos-app-4.2.0.bin", 300_000);
    const res = await runCli([
      "release",
      "push",
      path,
      "--name",
      "pos-app",
      "--version",
      "4.2.0",
      "--type",
      "software",
      "--compatible",
      "pos_terminal,kiosk",
      "--os",
      "linux",
      "--notes",
      "Faster receipts",
      "--chunk-mb",
      "0.05",
      "--json",
      ...auth,
    ]);
    expect(res.code, res.stderr).toBe(0);
    const release = JSON.parse(res.stdout);
    expect(release).toMatchObject({
      name: "pos-app",
      version: "4.2.0",
      release_type: "software",
      size_bytes: 300_000,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      filename: "pos-app-4.2.0.bin",
      signed_by: "server",
      notes: "Faster receipts",
      compatibility: { device_types: ["pos_terminal", "kiosk"], os_families: ["linux"] },
    });
    const operator = await loginAs(t, "operator");
    const download = await t.app.inject({ method: "GET", url: release.download_path, headers: operator.headers });
    expect(download.rawPayload.equals(bytes)).toBe(true);

    // Without --json the progress line is drawn on stderr.
    const again = artifact("pos-app-4.2.1.bin", 120_000);
    const shown = await runCli([
      "release",
      "push",
      again.path,
      "--name",
      "pos-app",
      "--version",
      "4.2.1",
      "--type",
      "software",
      "--chunk-mb",
      "0.05",
      ...auth,
    ]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stderr).toMatch(/upload pos-app-4\.2\.1\.bin \[#+\] 100%/);
    expect(shown.stdout).toMatch(/Release rel-[0-9a-f]+ created \(pos-app 4\.2\.1\)/);
  });

  it("sign signs offline with a trusted key, which the server accepts; a signature of other details or an untrusted key is refused", async () => {
    const { path } = artifact("firmware-2.0.0.img", 50_000);
    const details = ["--name", "till-fw", "--version", "2.0.0", "--type", "firmware"];
    const signed = await runCli(["release", "sign", path, "--key", join(dir, "offline.pem"), ...details]);
    expect(signed.code, signed.stderr).toBe(0);
    const sig = JSON.parse(readFileSync(`${path}.sig`, "utf8"));
    expect(verifyText(sig.public_key, releaseManifest(sig), sig.signature)).toBe(true);

    const wrongVersion = await runCli([
      "release",
      "push",
      path,
      ...details.slice(0, 2),
      "--version",
      "2.0.1",
      "--type",
      "firmware",
      "--signature",
      `${path}.sig`,
      ...auth,
    ]);
    expect(wrongVersion.code).toBe(1);
    expect(wrongVersion.stderr).toMatch(/signs version 2\.0\.0, not 2\.0\.1/);

    const pushed = await runCli(["release", "push", path, ...details, "--signature", `${path}.sig`, "--json", ...auth]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const release = JSON.parse(pushed.stdout);
    expect(release).toMatchObject({ signed_by: "offline", signature: sig.signature });
    expect((await rowOf(release.release_id))?.signingKey.trim()).toBe(trustedKey.trim());

    await runCli(["release", "keygen", "--out", join(dir, "stranger.pem")]);
    expect((statSync(join(dir, "stranger.pem")).mode & 0o777).toString(8)).toBe("600");
    const strangerDetails = ["--name", "till-fw", "--version", "2.0.2", "--type", "firmware"];
    await runCli(["release", "sign", path, "--key", join(dir, "stranger.pem"), ...strangerDetails]);
    const refused = await runCli(["release", "push", path, ...strangerDetails, "--signature", `${path}.sig`, ...auth]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/starting the upload failed \(4\d\d\).*trusted/i);
  });

  it("push --resume continues an upload from the offset the server holds", async () => {
    const { path, bytes } = artifact("kiosk-1.0.0.bin", 80_000);
    const operator = await loginAs(t, "operator");
    const start = await t.app.inject({
      method: "POST",
      url: "/api/v1/releases/uploads",
      headers: operator.headers,
      payload: { name: "kiosk-app", version: "1.0.0", release_type: "software", size_bytes: bytes.length },
    });
    const uploadId = start.json().data.upload_id;
    const first = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/releases/uploads/${uploadId}`,
      headers: { ...operator.headers, "content-type": "application/offset+octet-stream", "upload-offset": "0" },
      payload: bytes.subarray(0, 30_000),
    });
    expect(first.statusCode, first.body).toBe(200);
    const details = ["--name", "kiosk-app", "--version", "1.0.0", "--type", "software"];
    const res = await runCli(["release", "push", path, ...details, "--resume", uploadId, "--json", ...auth]);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
  });

  it("list, show, deprecate and delete", async () => {
    const { path } = artifact("cleanup-0.1.0.bin", 10_000);
    const pushed = await runCli([
      ...["release", "push", path, "--name", "cleanup", "--version", "0.1.0", "--type", "software", "--json"],
      ...auth,
    ]);
    const releaseId = JSON.parse(pushed.stdout).release_id as string;

    const listed = await runCli(["release", "list", "--name", "cleanup", ...auth]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${releaseId}\\s+software\\s+cleanup\\s+0\\.1\\.0`));
    expect(listed.stdout).toContain("1 of 1");

    const shown = await runCli(["release", "show", releaseId, ...auth]);
    expect(shown.stdout).toMatch(/^jobs\s+0$/m);
    expect(shown.stdout).toMatch(/^status\s+active$/m);

    const deprecated = await runCli(["release", "deprecate", releaseId, ...auth]);
    expect(deprecated.stdout).toContain(`Release ${releaseId} deprecated`);
    expect((await rowOf(releaseId))?.status).toBe("deprecated");
    const onlyActive = await runCli(["release", "list", "--name", "cleanup", "--status", "active", "--json", ...auth]);
    expect(JSON.parse(onlyActive.stdout)).toEqual([]);

    const deleted = await runCli(["release", "delete", releaseId, ...auth]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await rowOf(releaseId)).toBeUndefined();
    const missing = await runCli(["release", "show", releaseId, ...auth]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/show rel-[0-9a-f]+ failed \(404\)/);
  });

  it("says what is missing before it asks the server", async () => {
    const res = await runCli(["release", "push", join(dir, "nothing.bin"), "--name", "x", "--version", "1", ...auth]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--type must be software or firmware|nothing\.bin/);
    const noKey = await runCli(["release", "sign", join(dir, "nothing.bin")]);
    expect(noKey.stderr).toMatch(/--key KEYFILE/);
  });
});
