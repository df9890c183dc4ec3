import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { commands, main } from "./main.ts";

afterEach(() => vi.restoreAllMocks());

async function agent(argv: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    out += `${args.join(" ")}\n`;
  });
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    out += `${args.join(" ")}\n`;
  });
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, out };
}

/** The options a command file declares to parseArgs (`name: { type: … }`). */
function declaredOptions(name: string): string[] {
  const source = readFileSync(new URL(`./commands/${name}.ts`, import.meta.url), "utf8");
  return [
    ...new Set([...source.matchAll(/^\s+"?([a-z][a-z-]*)"?: \{ type: "(?:string|boolean)"/gm)].map((m) => m[1]!)),
  ];
}

describe("every homepot-agent command answers --help", () => {
  it("lists every command of the table", async () => {
    const res = await agent(["--help"]);
    expect(res.code).toBe(0);
    for (const name of Object.keys(commands)) expect(res.out).toContain(`  ${name}`);
  });

  it.each(Object.keys(commands))("homepot-agent %s --help describes every option it takes", async (name) => {
    for (const flag of ["--help", "-h"]) {
      const res = await agent([name, flag]);
      expect(res.code, res.out).toBe(0);
      expect(res.out).toMatch(new RegExp(`^homepot-agent ${name}\\b`));
      for (const option of declaredOptions(name)) expect(res.out, `--${option}`).toContain(`--${option}`);
    }
  });
});
