import { systemContext } from "@homepot/core";
import { seedDemoData } from "@homepot/core/demo/seed-demo-data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCliDatabase } from "../lib/database.ts";
import { runCli, useCliDatabase } from "../testing.ts";

let env: Awaited<ReturnType<typeof useCliDatabase>>;
beforeAll(async () => {
  env = await useCliDatabase();
  const database = await openCliDatabase();
  try {
    await seedDemoData(systemContext(database.db, "test"));
  } finally {
    await database.close();
  }
});
afterAll(async () => env.cleanup());

describe("homepot ask", () => {
  it("answers with its sources and trust; --json prints the API's answer", async () => {
    const text = await runCli(["ask", "how", "is", "the", "fleet", "doing?"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("The fleet has 12 active devices at 3 sites");
    expect(text.stdout).toMatch(/Trust: \w+/);
    expect(text.stdout).toContain("[1] devices");
    const json = await runCli(["ask", "status of the west branch", "--json"]);
    const a = JSON.parse(json.stdout);
    expect(a).toMatchObject({
      answered: true,
      intent: "fleet_status",
      entities: { site_ids: ["site-002"] },
      invented_figures: [],
    });
  });

  it("declines a question it cannot answer (exit 1) and needs a question (exit 2)", async () => {
    const no = await runCli(["ask", "what's the weather tomorrow?"]);
    expect(no.code).toBe(1);
    expect(no.stdout).toContain("I can't answer that yet");
    expect(no.stdout).toContain("You could ask:");
    expect((await runCli(["ask"])).code).toBe(2);
    const bad = await runCli(["ask", "how is it", "--site", "site-999"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--site: site_id site-999 is not a known site");
  });
});
