import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CostMatrix } from "./score-nab.ts";

/** A NAB data file: category folder, file name, timestamps (ms, UTC) and values. */
export interface NabFile {
  category: string;
  file: string;
  /** "category/file.csv", the key of the labels. */
  key: string;
  rawTimestamps: string[];
  timestamps: number[];
  values: number[];
  windows: Array<[number, number]>;
}

export interface NabCorpus {
  files: NabFile[];
  profiles: Record<string, CostMatrix>;
  published: Record<string, Record<string, number>>;
}

/** NAB timestamps are "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC. */
export const parseNabTime = (s: string) => Date.parse(`${s.trim().slice(0, 19).replace(" ", "T")}Z`);

/**
 * Reads the corpus laid out as NAB ships it: data/<category>/*.csv, labels/combined_windows.json, profiles.
 * `only` keeps the files whose "category/file.csv" key it accepts (a fixed subset for quick checks).
 */
export function loadNabCorpus(dir: string, only?: (key: string) => boolean): NabCorpus {
  const labels = JSON.parse(readFileSync(join(dir, "labels", "combined_windows.json"), "utf8")) as Record<
    string,
    string[][]
  >;
  const profilesRaw = JSON.parse(readFileSync(join(dir, "profiles.json"), "utf8")) as Record<
    string,
    { CostMatrix: CostMatrix }
  >;
  const profiles = Object.fromEntries(Object.entries(profilesRaw).map(([name, p]) => [name, p.CostMatrix]));
  let published: NabCorpus["published"] = {};
  try {
    published = JSON.parse(readFileSync(join(dir, "published_scores.json"), "utf8"));
  } catch {
    // The scoreboard is optional: the corpus scores without it.
  }
  const files: NabFile[] = [];
  const dataDir = join(dir, "data");
  for (const category of readdirSync(dataDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    for (const file of readdirSync(join(dataDir, category))
      .filter((f) => f.endsWith(".csv"))
      .sort()) {
      const key = `${category}/${file}`;
      if (only && !only(key)) continue;
      const lines = readFileSync(join(dataDir, category, file), "utf8")
        .split(/\r?\n/)
        .slice(1)
        .filter((l) => l.trim());
      const rawTimestamps: string[] = [];
      const timestamps: number[] = [];
      const values: number[] = [];
      for (const line of lines) {
        const comma = line.indexOf(",");
        const ts = line.slice(0, comma);
        rawTimestamps.push(ts);
        timestamps.push(parseNabTime(ts));
        values.push(Number(line.slice(comma + 1)));
      }
      const windows = (labels[key] ?? []).map(
        ([a, b]) => [parseNabTime(a ?? ""), parseNabTime(b ?? "")] as [number, number],
      );
      files.push({ category, file, key, rawTimestamps, timestamps, values, windows });
    }
  }
  return { files, profiles, published };
}

/** Writes NAB's results layout: OUT/<detector>/<category>/<detector>_<file>.csv (timestamp,value,anomaly_score). */
export function writeNabResults(outDir: string, detector: string, file: NabFile, scores: number[]): string {
  const folder = join(outDir, detector, file.category);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${detector}_${file.file}`);
  const rows = file.rawTimestamps.map((t, i) => `${t},${file.values[i]},${(scores[i] ?? 0).toFixed(6)}`);
  writeFileSync(path, `timestamp,value,anomaly_score\n${rows.join("\n")}\n`);
  return path;
}
