import type { ModelCard } from "@homepot/contracts/insights";
import { defaultStreamingOptions } from "./models/streaming-anomaly.ts";

/**
 * The streaming anomaly detector's model card: what it is, its parameters, and its figures as last measured
 * (`homepot insights nab`, the whole NAB corpus; the backtest figures from the command the note names, recorded in
 * `backtest-results.json`). `model-card.unit.test.ts` re-measures the NAB figures and checks the note against that
 * record, so the card cannot drift from the code. The insights page and GET /ai/status show it.
 */
export const STREAMING_MODEL_CARD: ModelCard = {
  name: "streaming_anomaly",
  method:
    "largest of four z-scores (long-run level, recent level, hour of day, hour of week) mapped to [0, 1], a value outside every value seen scores 1; alarms suppressed for a refractory period",
  parameters: { ...defaultStreamingOptions },
  nab: {
    measured_on: "2026-11-27",
    corpus: "Numenta Anomaly Benchmark: 58 series, 365 558 values, 116 labelled windows",
    scores: { standard: 71.41, reward_low_FP_rate: 61.54, reward_low_FN_rate: 76.63 },
    goal: { standard: 70, reward_low_FP_rate: 60 },
    previous: { standard: 66.69, reward_low_FP_rate: 52.75, reward_low_FN_rate: 74.06 },
    published: [
      { detector: "ARTime", standard: 74.9, reward_low_FP_rate: 65.2 },
      { detector: "Numenta HTM", standard: 70.1, reward_low_FP_rate: 63.1 },
      { detector: "Skyline", standard: 58.2, reward_low_FP_rate: 46.2 },
      { detector: "windowed Gaussian", standard: 39.6, reward_low_FP_rate: 20.9 },
    ],
  },
  backtest: {
    measured_on: "2026-11-28",
    note:
      "Simulator backtest over seeds 1-20 (npx homepot insights backtest --seeds 1-20; 12 devices, 8 h each, 120 faults, " +
      "120 benign events; parameters tuned on seeds 21-40 only): combined precision mean 0.98, worst 0.86 (strict 0.77 / 0.50), " +
      "recall 1.00; failure-risk recall on gradual faults 0.98, median lead 33 min. All goals met (precision mean 0.9 and " +
      "worst 0.8, recall 0.9, gradual recall 0.9 with 30 min lead); strict precision, which counts alarms during the " +
      "simulator's background incidents as false, is not. Recorded in backtest-results.json.",
  },
};
