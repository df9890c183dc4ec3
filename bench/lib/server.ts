import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BuildOptions } from "../../apps/server/src/app.ts";
import { SERVER_NODE_FLAGS } from "../../apps/server/src/node-flags.ts";
import { startChild } from "./child.ts";

const serveScript = fileURLToPath(new URL("./serve.ts", import.meta.url));

export interface BenchServer {
  url: string;
  pid: number;
  /** Resident memory of the server process now (MB, from /proc). */
  rssMb(): number;
  /** CPU time the server process has used so far (ms, user + system, from /proc). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * The real app in its own process (so the load generator does not share its CPU), on `databaseUrl`,
 * with `BuildOptions` (e.g. `{ requestLogging: false }`) and extra env.
 */
export async function startBenchServer(
  databaseUrl: string,
  appOptions: BuildOptions = {},
  env: Record<string, string> = {},
): Promise<BenchServer> {
  // HOMEPOT_BENCH_CPU_PROF=DIR: the server writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
  const profDir = process.env.HOMEPOT_BENCH_CPU_PROF;
  const prof = profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [];
  const child = await startChild(
    serveScript,
    { ...env, BENCH_DATABASE_URL: databaseUrl, BENCH_APP_OPTIONS: JSON.stringify(appOptions) },
    // The Node flags `npm start` runs the server with.
    { nodeArgs: [...SERVER_NODE_FLAGS, ...prof], what: "bench server", startS: 60 },
  );
  return {
    ...child,
    rssMb: () => rssMbOf(child.pid),
    cpuMs: () => cpuMsOf(child.pid),
  };
}

export function rssMbOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return 0;
  }
}

export function cpuMsOf(pid: number): number {
  try {
    // Fields after the command name: state is field 3, utime 14, stime 15 (clock ticks, 100 per second on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
