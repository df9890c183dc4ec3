import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commandNames, loadCommand } from "./main.ts";
import { runCli } from "./testing.ts";

/** The options a command file declares to node:util parseArgs (`name: { type: … }`). */
function declaredOptions(name: string): string[] {
  const source = readFileSync(new URL(`./commands/${name}.ts`, import.meta.url), "utf8");
  const found = [...source.matchAll(/^\s+"?([a-z][a-z-]*)"?: \{ type: "(?:string|boolean)"/gm)].map((m) => m[1]!);
  return [...new Set(found)].filter((o) => o !== "help");
}

const names = commandNames();

describe("every homepot command answers --help", () => {
  it("the command table is discovered (and holds only commands)", async () => {
    expect(names).toEqual(expect.arrayContaining(["db", "export", "simulate", "traffic", "user"]));
    for (const name of names) {
      const command = await loadCommand(name);
      expect(typeof command?.summary, name).toBe("string");
      expect(typeof command?.run, name).toBe("function");
    }
    const list = await runCli(["--help"]);
    expect(list.code).toBe(0);
    for (const name of names) expect(list.stdout).toContain(`  ${name}`);
  });

  it.each(names)("homepot %s --help describes every option it takes", async (name) => {
    const res = await runCli([name, "--help"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^Usage: homepot ${name}\\b`));
    for (const option of declaredOptions(name)) expect(res.stdout, `--${option}`).toContain(`--${option}`);
    const command = await loadCommand(name);
    for (const sub of command?.subcommands ?? []) {
      expect(res.stdout, sub).toContain(sub);
      for (const flag of ["--help", "-h"]) {
        const subHelp = await runCli([name, sub, flag]);
        expect(subHelp.code, `${name} ${sub} ${flag}: ${subHelp.stderr}`).toBe(0);
        expect(subHelp.stdout).toContain(sub);
      }
    }
  });
});
