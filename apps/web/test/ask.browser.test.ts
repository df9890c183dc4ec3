/**
 * The Ask box in a real browser against a real server (simulator on), as a viewer: a suggested question on the
 * Overview is answered with its sources, a source link opens the page that shows its rows, a question with a
 * typo on a device page is about that device, and the user's history lists both. No page error, no 4xx/5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSuite, haveChromium, startBrowserSuite } from "./harness.ts";

const VIEWER = { email: "ask-viewer@example.com", password: "ask-viewer-pass-1" };

describe.skipIf(!haveChromium())("Ask HOMEPOT on the dashboard", () => {
  let suite: BrowserSuite;

  beforeAll(async () => {
    suite = await startBrowserSuite({ users: [{ ...VIEWER, username: "ask_viewer" }], simulatedDevices: 4 });
  }, 300_000);

  afterAll(() => suite?.stop());

  it("answers a suggested question with clickable sources, asks about the page's device, keeps the history", async () => {
    const { page, failures, close } = await suite.open(VIEWER);

    const box = page.getByRole("region", { name: "Ask HOMEPOT" });
    await box.getByRole("button", { name: "How is the fleet doing?" }).click();
    const answer = box.getByTestId("ask-answer");
    await answer.getByText(/^The fleet has 4 active devices/).waitFor();
    await expect(answer.getByText(/trust: (high|medium|low)/).count()).resolves.toBe(1);
    await answer.getByRole("link", { name: /\[1\] devices/ }).click();
    await page.getByRole("heading", { level: 1, name: "Devices" }).waitFor();

    await page.goto(`${suite.base}/devices/pos-terminal-002`);
    const deviceBox = page.getByRole("region", { name: "Ask HOMEPOT" });
    await deviceBox.getByRole("textbox", { name: "Question" }).fill("why is this till unhelathy?");
    await deviceBox.getByRole("button", { name: "Ask" }).click();
    await deviceBox
      .getByTestId("ask-answer")
      .getByText(/^pos-terminal-002 at site-001/)
      .waitFor();
    await deviceBox.getByText("Read as: unhelathy → unhealthy").waitFor();
    await deviceBox.getByText("Your recent questions").click();
    await deviceBox.getByRole("button", { name: "why is this till unhelathy?" }).waitFor();
    await deviceBox.getByRole("button", { name: "How is the fleet doing?" }).first().waitFor();
    expect(failures).toEqual([]);
    await close();
  });
});
