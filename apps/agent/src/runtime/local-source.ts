import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";

/**
 * Transactions and POS figures come from the operator's own source (a JSON file the POS software
 * writes, or a command that prints JSON), never invented. Absent source → nulls.
 */
export interface LocalFigures {
  transaction_count: number | null;
  transaction_volume: number | null;
  error_rate: number | null;
  active_connections: number | null;
  queue_depth: number | null;
  services: Record<string, string>;
}

export const NO_FIGURES: LocalFigures = {
  transaction_count: null,
  transaction_volume: null,
  error_rate: null,
  active_connections: null,
  queue_depth: null,
  services: {},
};

export interface LocalSource {
  file?: string;
  command?: string;
}

export async function readLocalFigures(source: LocalSource): Promise<{ figures: LocalFigures; error?: string }> {
  if (!source.file && !source.command) return { figures: NO_FIGURES };
  try {
    const text = source.file ? await readFile(source.file, "utf8") : await runCommand(source.command as string);
    return { figures: parseFigures(JSON.parse(text)) };
  } catch (error) {
    return { figures: NO_FIGURES, error: `local figures unavailable: ${(error as Error).message}` };
  }
}

export function parseFigures(raw: unknown): LocalFigures {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new Error("expected a JSON object");
  const r = raw as Record<string, unknown>;
  const count = (k: string) =>
    typeof r[k] === "number" && Number.isFinite(r[k]) && (r[k] as number) >= 0 ? Math.round(r[k] as number) : null;
  const num = (k: string) =>
    typeof r[k] === "number" && Number.isFinite(r[k]) && (r[k] as number) >= 0 ? (r[k] as number) : null;
  const services: Record<string, string> = {};
  if (r.services && typeof r.services === "object") {
    for (const [k, v] of Object.entries(r.services as Record<string, unknown>))
      if (typeof v === "string") services[k] = v;
  }
  return {
    transaction_count: count("transaction_count"),
    transaction_volume: num("transaction_volume"),
    error_rate: num("error_rate") === null ? null : Math.min(100, num("error_rate") as number),
    active_connections: count("active_connections"),
    queue_depth: count("queue_depth"),
    services,
  };
}

function runCommand(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("/bin/sh", ["-c", command], { timeout: 10_000, maxBuffer: 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}
