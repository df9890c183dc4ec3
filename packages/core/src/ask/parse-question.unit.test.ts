import { describe, expect, it } from "vitest";
import { AnswerBuilder, inventedFigures } from "./answer-builder.ts";
import type { Catalogue } from "./catalogue.ts";
import { checkFigures, dropInventedFigures } from "./figures.ts";
import { parseQuestion } from "./parse-question.ts";
import { findPeriods } from "./periods.ts";
import { correctWord, editDistance } from "./spelling.ts";

const NOW = new Date("2026-01-07T12:00:00.000Z"); // a Wednesday
const catalogue: Catalogue = {
  sites: [
    { siteId: "site-001", name: "Main Store - Downtown", active: true },
    { siteId: "site-002", name: "Camden", active: true },
  ],
  devices: [
    { deviceId: "pos-terminal-003", siteId: "site-001", name: "POS 3", active: true, lastSeen: NOW, status: "online" },
    { deviceId: "pos-terminal-012", siteId: "site-002", name: "POS 12", active: true, lastSeen: NOW, status: "error" },
  ],
};
const parse = (q: string) => parseQuestion(q, catalogue, NOW);

describe("reading a question", () => {
  it("takes till, POS and terminal for a device, store and shop for a site, names and numbers for ids", () => {
    for (const q of [
      "why is till 12 at Camden unhealthy?",
      "why is POS 12 unhealthy",
      "why is terminal 12 unhealthy",
    ]) {
      expect(parse(q)).toMatchObject({ intent: "why_unhealthy", deviceIds: ["pos-terminal-012"] });
    }
    expect(parse("which shops had the most payment errors this week").subject).toBe("site");
    expect(parse("compare store 1 and Camden").siteIds).toEqual(["site-001", "site-002"]);
  });

  it("corrects spelling against the vocabulary and names what it changed", () => {
    const q = parse("whcih stroes had the most paymnet erors this week");
    expect(q.intent).toBe("top_n");
    expect(q.errorType).toBe("payment");
    expect(q.corrections).toEqual(
      expect.arrayContaining([
        { from: "stroes", to: "stores" },
        { from: "erors", to: "errors" },
      ]),
    );
    expect(editDistance("unhelathy", "unhealthy")).toBe(1);
    expect(correctWord("weather", new Set(["week"]), ["week"])).toBeUndefined();
  });

  it("reads relative dates in UTC", () => {
    const [y] = findPeriods(["yesterday"], NOW);
    expect([y?.start.toISOString(), y?.end.toISOString()]).toEqual([
      "2026-01-06T00:00:00.000Z",
      "2026-01-07T00:00:00.000Z",
    ]);
    const [w] = findPeriods(["this", "week"], NOW);
    expect(w?.start.toISOString()).toBe("2026-01-05T00:00:00.000Z");
    const [d] = findPeriods(["last", "3", "days"], NOW);
    expect(d).toMatchObject({ label: "last 3 days", start: new Date("2026-01-04T12:00:00.000Z") });
    const [lw] = findPeriods(["last", "week"], NOW);
    expect([lw?.start.toISOString(), lw?.end.toISOString()]).toEqual([
      "2025-12-29T00:00:00.000Z",
      "2026-01-05T00:00:00.000Z",
    ]);
  });

  it("declines what it cannot answer instead of guessing", () => {
    for (const q of [
      "what's the weather tomorrow?",
      "how many employees work at store 2",
      "restart till 12",
      "what's the wifi password of site-001",
    ])
      expect(parse(q).intent, q).toBe("unknown");
  });

  it("ranks by a metric or by errors, with the size and direction asked for", () => {
    expect(parse("top 3 tills by cpu yesterday")).toMatchObject({
      intent: "top_n",
      metric: "cpu",
      limit: 3,
      order: "desc",
    });
    expect(parse("lowest memory devices")).toMatchObject({ intent: "top_n", metric: "memory", order: "asc" });
    expect(parse("best window for a 2 hour update at store 1")).toMatchObject({
      intent: "best_window",
      durationMinutes: 120,
      siteIds: ["site-001"],
    });
  });
});

describe("figures", () => {
  it("finds numbers no result holds, allowing rounding, percentages and ids", () => {
    expect(checkFigures("pos-terminal-012 had 9 errors (26 %)", [9, 0.2571], ["pos-terminal-012"])).toEqual([]);
    expect(checkFigures("it had 12 errors", [9])).toEqual(["12"]);
    expect(checkFigures("mean 81.3 %", [81.2999])).toEqual([]);
    expect(dropInventedFigures("it had 12 errors", ["12"])).toBe("it had [unverified figure removed] errors");
  });

  it("a template's figures are registered as it writes them", () => {
    const b = new AnswerBuilder();
    const cite = b.cite({ table: "error_logs", query: "x", label: "errors" });
    b.line(`${b.lit("site-002")} had ${b.num(18, cite, "errors", "", 0)} errors, ${b.pct(0.75, cite, "share")} of all`);
    expect(inventedFigures(b.draft())).toEqual([]);
    b.line("and 3 more");
    expect(inventedFigures(b.draft())).toEqual(["3"]);
  });
});
