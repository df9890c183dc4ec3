import { ASK_NOW, FLEET_FACTS, seedAskFleet } from "@homepot/core/ask/eval/ask-fleet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";

let t: TestApp;
let viewer: Awaited<ReturnType<typeof loginAs>>;

beforeAll(async () => {
  t = await createTestApp({ clock: { now: () => ASK_NOW } });
  await seedAskFleet(t.ctx);
  viewer = await loginAs(t, "viewer");
}, 60_000);

afterAll(async () => {
  await t.close();
});

const ask = (body: Record<string, unknown>, headers = viewer.headers) =>
  t.app.inject({ method: "POST", url: "/api/v1/ai/query", headers, payload: body });

describe("POST /ai/query (happy)", () => {
  it("answers from the data, every figure cited, with window, sample size and trust (the original's fields too)", async () => {
    const res = await ask({ question: "Which stores had the most payment errors this week?" });
    expect(res.statusCode).toBe(200);
    const a = res.json();
    expect(a).toMatchObject({
      success: true,
      answered: true,
      intent: "top_n",
      engine: "builtin",
      invented_figures: [],
    });
    expect(a.response).toBe(a.answer);
    expect(a.timestamp).toBe(ASK_NOW.toISOString());
    expect(a.answer).toMatch(new RegExp(`^Most payment errors by site this week: ${FLEET_FACTS.topPaymentSite}`));
    expect(a.citations[0]).toMatchObject({ table: "error_logs", href: "/analytics" });
    expect(a.figures.length).toBeGreaterThan(0);
    for (const f of a.figures) expect(a.citations[f.citation]).toBeDefined();
    expect(a.data_window).toEqual({ start: "2026-01-05T00:00:00.000Z", end: ASK_NOW.toISOString() });
    expect(a.sample_size).toBeGreaterThan(10);
    expect(a.trust).toMatchObject({ level: "high", actionable: true, failed_gate: null, reasons: [] });
    expect(a.trust.gates.map((g: { gate_id: string }) => g.gate_id)).toEqual(["A", "B", "C", "D"]);
  });

  it("takes the original's `query` field, typos and synonyms, and the page's device", async () => {
    const res = await ask({ query: "why is this tll unhelathy", device_id: FLEET_FACTS.unhealthy });
    const a = res.json();
    expect(a).toMatchObject({ intent: "why_unhealthy", entities: { device_ids: [FLEET_FACTS.unhealthy] } });
    expect(a.corrections).toEqual(expect.arrayContaining([{ from: "unhelathy", to: "unhealthy" }]));
    expect(a.answer).toContain("error now");
  });

  it("lowers trust and says why when the device in question has gone silent", async () => {
    const a = (await ask({ question: `what is the failure risk of ${FLEET_FACTS.offline}` })).json();
    expect(a.trust.level).toBe("low");
    expect(a.trust.reasons.join(" ")).toContain(`${FLEET_FACTS.offline} last reported`);
    expect(a.trust.failed_gate).toBe("C");
  });

  it("declines what it cannot answer and offers the closest questions it can", async () => {
    const a = (await ask({ question: "How much revenue did we make on till 3 last month?" })).json();
    expect(a).toMatchObject({ answered: false, intent: "unknown", figures: [], citations: [] });
    expect(a.answer).toMatch(/^I can't answer that yet/);
    expect(a.suggestions.length).toBeGreaterThan(0);
    expect(a.trust.level).toBe("none");
  });

  it("keeps each user's question history to that user", async () => {
    const other = await loginAs(t, "operator");
    await ask({ question: "how is the fleet doing?" }, other.headers);
    const mine = (
      await t.app.inject({ method: "GET", url: "/api/v1/ai/query/history", headers: viewer.headers })
    ).json();
    expect(mine.count).toBeGreaterThanOrEqual(4);
    expect(mine.history.map((h: { question: string }) => h.question)).not.toContain("how is the fleet doing?");
    expect(mine.history[0]).toMatchObject({ intent: "unknown", answered: false, trust_level: "none" });
    const theirs = (
      await t.app.inject({ method: "GET", url: "/api/v1/ai/query/history", headers: other.headers })
    ).json();
    expect(theirs.history).toHaveLength(1);
  });

  it("suggests questions about the page's device or site", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/v1/ai/query/suggestions?site_id=site-003",
      headers: viewer.headers,
    });
    expect(res.json().suggestions.some((s: string) => s.includes("site-003"))).toBe(true);
    const suggest = async (query: string) =>
      (
        await t.app.inject({ method: "GET", url: `/api/v1/ai/query/suggestions${query}`, headers: viewer.headers })
      ).json().suggestions as string[];
    // A device's page: questions about that device; a site to compare with is another one.
    const device = await suggest("?device_id=pos-terminal-006");
    expect(device.some((s) => s.includes("pos-terminal-006"))).toBe(true);
    const fleet = await suggest("");
    expect(fleet.join(" ")).not.toContain("pos-terminal-006");
    // An unknown device or site is not echoed back: the fleet's questions instead.
    expect(await suggest("?device_id=nope-1")).toEqual(fleet);
    expect((await suggest("?site_id=nope-2")).join(" ")).not.toContain("nope-2");
  });
});

describe("POST /ai/query (roles and bad input)", () => {
  it("needs a signed-in user; the validation report stays with admins", async () => {
    await expectRequiresRole(
      t,
      { method: "POST", url: "/api/v1/ai/query", payload: { question: "how is the fleet?" } },
      "viewer",
    );
    const denied = (await ask({ question: "is the data fresh?" })).json();
    expect(denied).toMatchObject({ answered: false, intent: "data_freshness", figures: [] });
    expect(denied.trust).toMatchObject({ level: "none", failed_gate: "A" });
    expect(denied.answer).toContain("needs the admin role");
    const admin = await loginAs(t, "admin");
    const allowed = (await ask({ question: "is the data fresh?" }, admin.headers)).json();
    expect(allowed).toMatchObject({ answered: true, intent: "data_freshness" });
  });

  it("names the wrong field", async () => {
    for (const [body, field] of [
      [{}, "question"],
      [{ question: "   " }, "question"],
      [{ question: "x".repeat(501) }, "question"],
      [{ question: "how is it?", site_id: "site-999" }, "site_id"],
      [{ question: "how is it?", device_id: "nope" }, "device_id"],
    ] as const) {
      const res = await ask(body);
      expect(res.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(JSON.stringify(res.json())).toContain(field);
    }
  });
});
