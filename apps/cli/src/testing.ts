import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase, testDriver } from "@homepot/db/testing";
import { vi } from "vitest";
import { main } from "./main.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `homepot …` in-process and captures what it prints. */
export async function runCli(argv: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/**
 * Points the CLI at a fresh database of the driver under test: DATABASE_URL of a new PostgreSQL
 * database, or an empty embedded one in a temp HOMEPOT_DATA_DIR. Returns a cleanup function.
 */
export async function useCliDatabase(): Promise<{ database?: TestDatabase; cleanup(): Promise<void> }> {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, HOMEPOT_DATA_DIR: process.env.HOMEPOT_DATA_DIR };
  process.env.HOMEPOT_DATA_DIR = mkdtempSync(join(tmpdir(), "homepot-cli-"));
  let database: TestDatabase | undefined;
  if (testDriver === "postgres") {
    database = await createTestDatabase();
    process.env.DATABASE_URL = database.url;
  } else {
    delete process.env.DATABASE_URL;
  }
  return {
    ...(database ? { database } : {}),
    async cleanup() {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await database?.close();
    },
  };
}
