import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { STREAMING_MODEL_CARD } from "./model-card.ts";
import { runNab } from "./nab/run-nab.ts";

const nabDir = process.env.HOMEPOT_NAB_DIR ?? fileURLToPath(new URL("../../../../../shared/nab", import.meta.url));

/** The last full multi-seed backtest, as recorded from its --json output (backtest-results.json). */
interface RecordedBacktest {
  measured_on: string;
  seeds: number[];
  methods: Record<string, { precision: { mean: number; worst: number }; recall: { mean: number; worst: number } }>;
  failure_risk_gradual: { recall: number; median_lead_minutes: number };
  goals: { met: boolean };
}

describe("the streaming detector's model card", () => {
  it("quotes the NAB scores the detector measures now on the whole corpus", () => {
    const report = runNab({ dataDir: nabDir });
    expect(report.data).toMatchObject({ files: 58, rows: 365_558, windows: 116 });
    for (const [profile, score] of Object.entries(STREAMING_MODEL_CARD.nab.scores))
      expect(report.scores[profile], profile).toBeCloseTo(score, 2);
  }, 60_000);

  it("quotes the recorded multi-seed backtest: its date, figures and verdict", () => {
    const r: RecordedBacktest = JSON.parse(readFileSync(new URL("./backtest-results.json", import.meta.url), "utf8"));
    const card = STREAMING_MODEL_CARD.backtest;
    const f = (x: number) => x.toFixed(2);
    const c = r.methods.combined as RecordedBacktest["methods"][string];
    expect(card.measured_on).toBe(r.measured_on);
    expect(card.note).toContain(`seeds ${r.seeds[0]}-${r.seeds[r.seeds.length - 1]}`);
    expect(card.note).toContain(`combined precision mean ${f(c.precision.mean)}, worst ${f(c.precision.worst)}`);
    expect(card.note).toContain(`recall ${f(c.recall.mean)}`);
    const g = r.failure_risk_gradual;
    expect(card.note).toContain(
      `failure-risk recall on gradual faults ${f(g.recall)}, median lead ${Math.round(g.median_lead_minutes)} min`,
    );
    expect(card.note).toMatch(r.goals.met ? /All goals met/ : /Goals missed/);
  });
});
