// A bench helper script (a baseline server) in its own process, on a free port: it prints `READY <url>`.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface Child {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * `script` under tsx in a child process with `env` (and `nodeArgs` before it), once it printed `READY <url>`;
 * `stop` sends SIGTERM, then SIGKILL after 10 s.
 */
export async function startChild(
  script: string,
  env: Record<string, string> = {},
  options: { nodeArgs?: string[]; what?: string; startS?: number } = {},
): Promise<Child> {
  const what = options.what ?? "bare server";
  const startS = options.startS ?? 30;
  const proc: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", script], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${startS} s`)), startS * 1000);
    proc.stdout?.on("data", (d) => {
      out += String(d);
      const m = /READY (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once("exit", (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
  });
  return {
    url,
    pid: proc.pid ?? 0,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In a child script: listen on a free loopback port and say `READY <url>`; stop on SIGTERM/SIGINT. */
export async function serveReady(app: FastifyInstance) {
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  process.stdout.write(`READY ${address}\n`);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}
