import {
  defaultStreamingOptions,
  StreamingAnomalyDetector,
  type StreamingAnomalyOptions,
} from "../models/streaming-anomaly.ts";
import { loadNabCorpus, writeNabResults } from "./nab-corpus.ts";
import { type FileScore, type ScoredSeries, scoreCorpus, scoreFile, type ThresholdResult } from "./score-nab.ts";

export const NAB_DETECTOR = "homepot";

export interface NabReport {
  detector: string;
  scores: Record<string, number>;
  thresholds: Record<string, ThresholdResult>;
  threshold: number;
  per_file: Array<FileScore & { category: string; rows: number }>;
  published: Record<string, Record<string, number>>;
  data: { files: number; rows: number; windows: number; seconds: number; microseconds_per_point: number };
}

/** Runs the streaming detector over every NAB series (one parameter set), scores it, optionally writes results. */
export function runNab(options: {
  dataDir: string;
  outDir?: string;
  detector?: StreamingAnomalyOptions;
  /** Score only these "category/file.csv" series (default: the whole corpus). */
  files?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}): NabReport {
  const wanted = options.files ? new Set(options.files) : null;
  const corpus = loadNabCorpus(options.dataDir, wanted ? (key) => wanted.has(key) : undefined);
  const started = process.hrtime.bigint();
  const series: ScoredSeries[] = [];
  let rows = 0;
  corpus.files.forEach((f, i) => {
    const detector = new StreamingAnomalyDetector(options.detector ?? defaultStreamingOptions);
    const scores = f.values.map((v, j) => detector.update(v, f.timestamps[j] ?? 0).score);
    rows += f.values.length;
    series.push({ name: f.key, timestamps: f.timestamps, scores, windows: f.windows });
    if (options.outDir) writeNabResults(options.outDir, NAB_DETECTOR, f, scores);
    options.onProgress?.(i + 1, corpus.files.length);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const thresholds: Record<string, ThresholdResult> = {};
  for (const [name, cost] of Object.entries(corpus.profiles)) thresholds[name] = scoreCorpus(series, cost);
  const standard = thresholds.standard ?? Object.values(thresholds)[0];
  const standardCost = corpus.profiles.standard ?? Object.values(corpus.profiles)[0];
  const threshold = standard?.threshold ?? 1;
  const per_file = standardCost
    ? series.map((s, i) => ({
        ...scoreFile(s, standardCost, threshold),
        category: corpus.files[i]?.category ?? "",
        rows: s.scores.length,
      }))
    : [];
  return {
    detector: NAB_DETECTOR,
    scores: Object.fromEntries(Object.entries(thresholds).map(([k, v]) => [k, Math.round(v.normalized * 100) / 100])),
    thresholds,
    threshold,
    per_file,
    published: corpus.published,
    data: {
      files: corpus.files.length,
      rows,
      windows: corpus.files.reduce((n, f) => n + f.windows.length, 0),
      seconds: Math.round(seconds * 100) / 100,
      microseconds_per_point: Math.round((seconds * 1e6 * 100) / Math.max(rows, 1)) / 100,
    },
  };
}
