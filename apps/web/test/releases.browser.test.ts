/**
 * The Releases page in a real browser against a real server: an admin uploads a file in chunks and watches the
 * progress bar (one chunk breaks on the way and the upload resumes at the server's offset) reach 100 %, finds the
 * release listed, rolls it out through the prefilled New job form, sees the job on the release, deprecates it, is
 * refused its deletion with the reason, and deletes an unused release. A viewer reads the list and a release and is
 * offered no upload, roll-out, deprecate or delete. No page error and no 4xx/5xx the pages caused.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, haveChromium, startBrowserSuite, waitFor } from "./harness.ts";

const ADMIN = { email: "admin@example.com", password: "releases-pass-1" };
const VIEWER = { email: "viewer@example.com", password: "releases-pass-1" };
const SITE = "site-rel";
const DEVICE = "pos-rel-1";
const MiB = 1024 * 1024;

describe.skipIf(!haveChromium())("releases page: upload with progress, list, roll out, deprecate, delete", () => {
  let suite: BrowserSuite;
  const api: BrowserSuite["api"] = (path, init) => suite.api(path, init);
  const dir = mkdtempSync(join(tmpdir(), "homepot-release-file-"));
  const file = join(dir, "pos-app-5.0.0.bin");
  const bytes = randomBytes(4 * MiB);

  beforeAll(async () => {
    writeFileSync(file, bytes);
    suite = await startBrowserSuite({ admin: ADMIN, users: [{ ...VIEWER, username: "releases_viewer" }] });
    const [till] = await suite.siteWithDevices({ site_id: SITE, name: "Release Store" }, [
      { device_id: DEVICE, name: "Release POS" },
    ]);
    // The till already runs pos-app 5.0.0 (its agent says so in a health report).
    await suite.post(`/devices/${DEVICE}/health`, { status: "healthy", software_version: "5.0.0" }, till);
  }, 300_000);

  afterAll(async () => {
    await suite?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("an admin uploads with a progress bar that resumes, rolls out, deprecates and deletes", async () => {
    const { page, failures, close } = await suite.open(ADMIN);
    page.on("dialog", (d) => void d.accept());
    await page.click("#nav-releases");
    await page.getByRole("heading", { level: 1, name: "Releases" }).waitFor();
    await page.click("#release-new");
    await page.setInputFiles("#release-upload-form input[name=file]", file);
    await page.fill("#release-upload-form input[name=name]", "pos-app");
    await page.fill("#release-upload-form input[name=version]", "5.0.0");
    await page.fill("#release-upload-form input[name=device_types]", "pos_terminal");
    await page.fill("#release-upload-form textarea[name=notes]", "Faster checkout");

    // The second chunk is held until the bar shows the first (25 %), then its connection breaks: the page asks the
    // server where it stands and carries on. The completion waits until the bar has shown 100 %.
    let patches = 0;
    let openSecond!: () => void;
    const second = new Promise<void>((r) => (openSecond = r));
    let openComplete!: () => void;
    const complete = new Promise<void>((r) => (openComplete = r));
    await page.route("**/api/v1/releases/uploads/**", async (route) => {
      const req = route.request();
      if (req.method() === "PATCH" && ++patches === 2) {
        await second;
        return route.abort("connectionreset");
      }
      if (req.method() === "POST" && req.url().endsWith("/complete")) await complete;
      return route.continue();
    });
    await page.click("#release-upload-submit");
    const bar = page.locator("#release-upload-progress");
    await page.locator('#release-upload-progress[aria-valuenow="25"]').waitFor();
    expect(await page.textContent("#release-upload-percent")).toContain("25 %");
    openSecond();
    await page.locator('#release-upload-progress[aria-valuenow="100"]').waitFor();
    expect(await page.textContent("#release-upload-percent")).toContain("100 %");
    expect(await bar.getAttribute("aria-valuemax")).toBe("100");
    openComplete();
    await page.getByRole("heading", { level: 1, name: /pos-app 5\.0\.0/ }).waitFor();
    expect(patches).toBe(5);
    const release = (await api("/releases?name=pos-app")).body.releases[0];
    expect(release).toMatchObject({
      sha256: createHash("sha256").update(bytes).digest("hex"),
      size_bytes: bytes.length,
      filename: "pos-app-5.0.0.bin",
      signed_by: "server",
      compatibility: { device_types: ["pos_terminal"] },
    });
    expect(await page.textContent("#release-signature")).toContain(release.sha256);
    await page.locator("#release-devices-table", { hasText: DEVICE }).waitFor();

    // Listed, with its size, compatibility and signer.
    await page.click("#nav-releases");
    const row = page.locator(`#releases-table tr[data-release-id="${release.release_id}"]`);
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain("4.0 MB");
    expect(text).toContain("pos_terminal");
    expect(text).toContain("server");

    // The version chart: the till runs pos-app 5.0.0, fleet-wide and at its site; no device reports firmware.
    await page.locator("#version-list", { hasText: "pos-app 5.0.0: 1 device" }).waitFor();
    expect(await page.locator("#version-chart .recharts-bar-rectangle").count()).toBe(1);
    await page.selectOption("#version-site", SITE);
    await page.locator("#version-list", { hasText: "pos-app 5.0.0: 1 device" }).waitFor();
    await page.click("#version-type-tab-firmware");
    await page.locator("#version-list", { hasText: "no version reported: 1 device" }).waitFor();

    // Roll out: the New job form comes prefilled with the job type, the release and an action.
    await row.getByRole("link", { name: "pos-app" }).click();
    await page.click("#release-roll-out");
    await page.getByRole("heading", { level: 1, name: "New job" }).waitFor();
    await waitFor(
      "the release chosen",
      async () => (await page.inputValue("#job-create-form select[name=release_id]")) === release.release_id,
    );
    expect(await page.inputValue("#job-create-form select[name=job_type]")).toBe("software_update");
    expect(await page.inputValue("#job-create-form input[name=action]")).toBe("Install pos-app 5.0.0");
    await page.selectOption("#job-create-form select[name=target]", "devices");
    await page.fill("#job-create-form input[name=device_ids]", DEVICE);
    await page.click("#job-create-submit");
    await page.locator("#job-devices-table").waitFor();
    // The till already runs 5.0.0: the job page says it was skipped, and why.
    await page.locator(`#release-state-${DEVICE}[data-state="skipped"]`, { hasText: "already on 5.0.0" }).waitFor();
    const jobId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");

    // Back on the release: the job delivering it; deprecate; deleting is refused while the job delivers it.
    await page.goto(`${suite.base}/releases/${release.release_id}`);
    await page.locator("#release-jobs-table", { hasText: jobId }).waitFor();
    await page.click("#release-deprecate");
    await page.locator("h1", { hasText: "deprecated" }).waitFor();
    expect(await page.locator("#release-roll-out").count()).toBe(0);
    await page.click("#release-delete");
    await page.locator(".alert", { hasText: "1 job(s) deliver it" }).waitFor();

    // An unused release deletes, and the list no longer has it.
    const spare = await suite.uploadRelease(Buffer.from("spare firmware"), {
      name: "spare-fw",
      release_type: "firmware",
    });
    await page.goto(`${suite.base}/releases/${spare}`);
    await page.click("#release-delete");
    await page.getByRole("heading", { level: 1, name: "Releases" }).waitFor();
    await row.waitFor();
    expect(await page.locator(`#releases-table tr[data-release-id="${spare}"]`).count()).toBe(0);
    expect((await api(`/releases/${spare}`)).status).toBe(404);

    // The one refusal was the deletion the page was asked to make.
    expect(failures).toEqual([expect.stringMatching(/^409 DELETE \/api\/v1\/releases\/rel-/)]);
    await close();
  }, 180_000);

  it("a viewer reads releases and is offered none of the actions", async () => {
    const { page, failures, close } = await suite.open(VIEWER);
    await page.click("#nav-releases");
    await page.locator("#releases-table tbody tr").first().waitFor();
    expect(await page.locator("#release-new").count()).toBe(0);
    await page.locator("#releases-table tbody tr a").first().click();
    await page.locator("#release-signature").waitFor();
    for (const id of ["#release-roll-out", "#release-deprecate", "#release-delete"])
      expect(await page.locator(id).count(), id).toBe(0);
    await page.goto(`${suite.base}/releases/new`);
    await page.locator("#no-access").waitFor();
    expect(await page.locator("#release-upload-form").count()).toBe(0);
    expect(failures).toEqual([]);
    await close();
  }, 120_000);
});
