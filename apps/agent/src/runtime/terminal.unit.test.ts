import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PermissionFlags } from "@homepot/contracts/permissions";
import { describe, expect, it } from "vitest";
import { PermissionStore } from "../state/permissions.ts";
import { MAX_OUTPUT_BYTES, runTerminal, scrubbedEnv } from "./terminal.ts";

const none: PermissionFlags = {
  root_access: false,
  command_execution: false,
  process_monitoring: false,
  filesystem_access: false,
  network_monitoring: false,
};
const exec = { ...none, command_execution: true };
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
const run = (payload: Record<string, unknown>, grants = exec, type: "RUN_COMMAND" | "RUN_SCRIPT" = "RUN_COMMAND") =>
  runTerminal(type, payload, { grants, secrets: ["hpk_secret_key"], env });

describe("terminal commands on the agent", () => {
  it("runs nothing without command_execution, whatever the server queued", async () => {
    const dir = mkdtempSync(join(tmpdir(), "homepot-term-"));
    const marker = join(dir, "ran");
    const out = await run({ command: `touch ${marker}` }, none);
    expect(out).toMatchObject({ status: "failed", result: { refused: true } });
    expect(out.error_message).toContain("command_execution");
    const { existsSync } = await import("node:fs");
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses sudo/su/doas/pkexec unless root_access is granted and run_as_root is explicit", async () => {
    for (const command of ["sudo id", "ls; su -c id", "doas reboot", "echo x | pkexec id"]) {
      const out = await run({ command });
      expect(out.error_message, command).toContain("root_access");
    }
    const noGrant = await run({ command: "id", run_as_root: true });
    expect(noGrant.error_message).toContain("root_access");
    const grantedButImplicit = await run({ command: "sudo id" }, { ...exec, root_access: true });
    expect(grantedButImplicit.error_message).toContain("run_as_root");
  });

  it("returns exit code and output; a script runs from stdin; a failing command is failed", async () => {
    const ok = await run({ command: "echo hello; echo oops >&2" });
    expect(ok).toMatchObject({ status: "succeeded", result: { exit_code: 0, stdout: "hello\n", stderr: "oops\n" } });
    const script = await run({ script: "a=2\necho $((a * 21))\n" }, exec, "RUN_SCRIPT");
    expect(script.result.stdout).toBe("42\n");
    const bad = await run({ command: "exit 3" });
    expect(bad).toMatchObject({ status: "failed", result: { exit_code: 3 } });
  });

  it("caps output at 64 KiB and the timeout at 300 s", async () => {
    const big = await run({ command: "head -c 200000 /dev/zero | tr '\\0' a" });
    expect((big.result.stdout as string).length).toBe(MAX_OUTPUT_BYTES);
    expect(big.result.truncated).toBe(true);
    const capped = await run({ command: "true", timeout_s: 100_000 });
    expect(capped.result.timeout_s).toBe(300);
    const slow = await run({ command: "sleep 30", timeout_s: 1 });
    expect(slow).toMatchObject({ status: "failed", result: { timed_out: true } });
  });

  it("never hands the device key to the command", async () => {
    const out = await runTerminal(
      "RUN_COMMAND",
      { command: "env" },
      {
        grants: exec,
        secrets: ["hpk_secret_key"],
        env: {
          ...env,
          HOMEPOT_DEVICE_API_KEY: "hpk_secret_key",
          COPY: "x-hpk_secret_key",
          MQTT_PASSWORD: "p",
          KEEP: "1",
        },
      },
    );
    expect(out.result.stdout).not.toContain("hpk_secret_key");
    expect(out.result.stdout).not.toContain("MQTT_PASSWORD");
    expect(out.result.stdout).toContain("KEEP=1");
    expect(scrubbedEnv({ HOMEPOT_SERVER: "x", A: "b" }, [])).toEqual({ A: "b" });
  });

  it("keeps the owner's grants in a file; a damaged file grants nothing", async () => {
    const { writeFileSync, statSync } = await import("node:fs");
    const file = join(mkdtempSync(join(tmpdir(), "homepot-perm-")), "permissions.json");
    const store = new PermissionStore(file);
    expect(store.get().grants.command_execution).toBe(false);
    store.addPending({ permission: "command_execution", command_id: "c1", asked_at: "t", reason: null });
    const after = store.set({ command_execution: true });
    expect(after.grants.command_execution).toBe(true);
    expect(after.pending).toEqual([]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, "{ not json");
    expect(store.get().grants.command_execution).toBe(false);
  });
});
