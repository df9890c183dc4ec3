/**
 * The site page's onboarding in a real browser against a real server: an operator creates an enrolment intent
 * and sees its claim token once, a device (played by the test) claims it and the intent turns consumed; the
 * bootstrap key is generated with approval required, a device provisions itself, waits as pending and is
 * approved from the devices table; the key is revoked. The device page shows the device's DNA with its OS
 * icon and the sites list the OS mix. A viewer sees the intents but no controls. No page error, no 4xx/5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, haveChromium, startBrowserSuite, waitFor } from "./harness.ts";

const ADMIN = { email: "admin@example.com", password: "onboarding-pass-1" };
const VIEWER = { email: "viewer@example.com", password: "onboarding-pass-1" };
const SITE = "site-onboard";

describe.skipIf(!haveChromium())("site page: enrolment intents and the bootstrap key", () => {
  let suite: BrowserSuite;
  const api: BrowserSuite["api"] = (path, init) => suite.api(path, init);
  const anonymous = (path: string, body: unknown) =>
    api(path, { method: "POST", auth: {}, body: JSON.stringify(body) });

  beforeAll(async () => {
    suite = await startBrowserSuite({ admin: ADMIN, users: [{ ...VIEWER, username: "onboard_viewer" }] });
    await suite.siteWithDevices({ site_id: SITE, name: "Onboarding Store" });
  }, 300_000);

  afterAll(() => suite?.stop());

  const open = (who: typeof ADMIN) => suite.open(who);

  it("an operator creates an intent and a bootstrap key, a device enrols with each, and is approved", async () => {
    const { page, failures, close } = await open(ADMIN);
    await page.goto(`${suite.base}/sites/${SITE}`);
    await page.getByText("No enrolment intents at this site.").waitFor();

    await page.fill("#intent-form input[name=device_name]", "Front till");
    await page.click("#intent-create");
    const tokenText = (await page.locator("#claim-token-value").textContent()) ?? "";
    expect(tokenText).toMatch(/^hpc_/);
    const row = page.locator("#site-intents-table tbody tr").first();
    await waitFor("approved", async () => ((await row.textContent()) ?? "").includes("approved"));
    const intentId = (await api(`/sites/${SITE}/enrolment-intents`)).body.intents[0].intent_id as string;

    const claimed = await anonymous(`/enrolment-intents/${intentId}/claim`, { claim_token: tokenText });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
    const dna = await api("/agent/device-dna", {
      method: "POST",
      headers: { "x-device-id": claimed.body.device_id, "x-api-key": claimed.body.api_key },
      body: JSON.stringify({ os_details: "Ubuntu 22.04 LTS", mac_address: "00:11:22:33:44:55" }),
    });
    expect(dna.status).toBe(200);
    await page.reload();
    await waitFor("consumed", async () =>
      ((await page.locator("#site-intents-table tbody tr").first().textContent()) ?? "").includes("consumed"),
    );
    // The token is not on the page any more once it was shown.
    expect(await page.content()).not.toContain(tokenText);

    await page.check("#bootstrap-key-approval");
    await page.click("#bootstrap-key-generate");
    const key = (await page.locator("#bootstrap-key-value").textContent()) ?? "";
    expect(key).toMatch(/^hpb_/);
    await waitFor("wait for approval", async () =>
      ((await page.locator("#bootstrap-key-state").textContent()) ?? "").includes("wait for approval"),
    );
    const provisioned = await anonymous("/devices/bootstrap-provision", {
      site_id: SITE,
      bootstrap_key: key,
      device_name: "Kiosk",
    });
    expect(provisioned.status, JSON.stringify(provisioned.body)).toBe(201);
    expect(provisioned.body.data.lifecycle_state).toBe("pending");
    await page.reload();
    const pendingRow = page.locator("#site-devices-table tbody tr", { hasText: "Kiosk" });
    await waitFor("pending", async () => ((await pendingRow.textContent()) ?? "").includes("pending"));
    await pendingRow.getByRole("button", { name: "Approve" }).click();
    await waitFor("active", async () => ((await pendingRow.textContent()) ?? "").includes("active"));

    page.once("dialog", (d) => void d.accept());
    await page.click("#bootstrap-key-revoke");
    await waitFor("No bootstrap key", async () =>
      ((await page.locator("#bootstrap-key-state").textContent()) ?? "").includes("No bootstrap key"),
    );

    await page.goto(`${suite.base}/devices/${claimed.body.device_id}`);
    await page.locator("#device-dna").getByText("Ubuntu 22.04 LTS").waitFor();
    expect(await page.locator("#device-dna [data-os=linux]").count()).toBe(1);
    await page.goto(`${suite.base}/sites`);
    await page.locator("tr", { hasText: SITE }).locator("[data-os=linux]").waitFor();
    expect(failures).toEqual([]);
    await close();
  });

  it("a viewer sees the site's intents and key state but no controls", async () => {
    const { page, failures, close } = await open(VIEWER);
    await page.goto(`${suite.base}/sites/${SITE}`);
    await page.locator("#site-intents-table tbody tr").first().waitFor();
    expect(await page.locator("#intent-form").count()).toBe(0);
    expect(await page.locator("#bootstrap-key-form").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Revoke" }).count()).toBe(0);
    expect(failures).toEqual([]);
    await close();
  });
});
