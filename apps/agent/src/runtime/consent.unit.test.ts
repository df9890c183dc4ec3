import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { fileAsker, promptAsker } from "./consent.ts";

const request = (permission: "command_execution" | "root_access" = "command_execution") => ({
  permission,
  reason: "restart the POS service",
  commandId: "cmd-1",
});

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  output.on("data", (d: Buffer) => {
    shown += d.toString();
  });
  return { input, output, shown: () => shown };
}

describe("promptAsker", () => {
  it("asks the owner with the reason, repeats on an unclear answer, and takes yes or no", async () => {
    const t = terminal();
    const ask = promptAsker(t.input, t.output);
    const first = ask(request());
    t.input.write("maybe\n");
    t.input.write("YES\n");
    expect(await first).toBe(true);
    expect(t.shown()).toContain("An operator asks for command_execution on this device (restart the POS service)");
    expect(t.shown().match(/Grant it\? \[y\/n\]/g)).toHaveLength(2);
    const second = ask(request("root_access"));
    t.input.write("n\n");
    expect(await second).toBe(false);
  });

  it("leaves the request pending (null) when the input closes unanswered", async () => {
    const t = terminal();
    const answer = promptAsker(t.input, t.output)(request());
    t.input.end();
    expect(await answer).toBeNull();
  });
});

describe("fileAsker", () => {
  it("answers from the owner's file, re-read at each request; anything else stays pending", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "consent-")), "consent.json");
    const ask = fileAsker(file);
    expect(await ask(request())).toBeNull();
    writeFileSync(file, JSON.stringify({ grant: ["command_execution"], deny: ["root_access"] }));
    expect(await ask(request())).toBe(true);
    expect(await ask(request("root_access"))).toBe(false);
    writeFileSync(file, JSON.stringify({ grant: [], deny: ["command_execution"] }));
    expect(await ask(request())).toBe(false);
    writeFileSync(file, "{broken");
    expect(await ask(request())).toBeNull();
  });
});
