import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { StateStore } from "../state/agent-state.ts";
import { DeviceConfigStore } from "../state/device-config.ts";
import { DiskQueue } from "../state/disk-queue.ts";
import { PermissionStore } from "../state/permissions.ts";
import { ApiClient, KeyRejectedError } from "./api.ts";
import { Backoff } from "./backoff.ts";
import type { ConsentAsker } from "./consent.ts";
import { CommandExecutor, type HealthSummary } from "./executor.ts";
import { parseFigures } from "./local-source.ts";
import { createLogger } from "./logger.ts";
import { Sender } from "./sender.ts";

const log = createLogger("silent");
const tmp = () => mkdtempSync(join(tmpdir(), "homepot-agent-unit-"));
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

type Handler = (req: IncomingMessage, body: unknown, res: ServerResponse) => void;
async function fakeServer(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => handler(req, data ? JSON.parse(data) : null, res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const reply = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

describe("disk queue", () => {
  it("keeps arrival order, bounds its size by dropping the oldest, and counts the drops", () => {
    let dropped = 0;
    const q = new DiskQueue(join(tmp(), "q"), 3, (n) => (dropped += n));
    for (let i = 0; i < 5; i++) q.push("metrics", { i });
    expect(q.size()).toBe(3);
    expect(dropped).toBe(2);
    expect(q.peek(10).map((e) => e.item.body.i)).toEqual([2, 3, 4]);
  });
});

describe("backoff", () => {
  it("grows exponentially under a cap with jitter, and resets on success", () => {
    const b = new Backoff(1000, 8000, () => 0.999);
    expect([b.fail(), b.fail(), b.fail(), b.fail(), b.fail()]).toEqual([999, 1998, 3996, 7992, 7992]);
    const low = new Backoff(1000, 8000, () => 0);
    expect(low.fail()).toBe(100);
    b.succeed();
    expect(b.failures).toBe(0);
  });
});

describe("sender", () => {
  function setup(server: string) {
    const dir = tmp();
    const queue = new DiskQueue(join(dir, "q"), 100);
    const state = new StateStore(join(dir, "state.json"));
    const sender = new Sender(new ApiClient(server, { deviceId: "dev-1", apiKey: "hpk_secret" }), queue, state, log);
    return { queue, state, sender };
  }

  it("batches consecutive metrics, deletes only what got a 2xx, and keeps the rest for later", async () => {
    const seen: { path: string; body: unknown }[] = [];
    let healthy = true;
    const url = await fakeServer((req, body, res) => {
      seen.push({ path: req.url ?? "", body });
      expect(req.headers["x-api-key"]).toBe("hpk_secret");
      if (req.url?.endsWith("/health") && !healthy) return reply(res, 503, { detail: "Database unavailable" });
      reply(res, 201, { success: true });
    });
    const { queue, state, sender } = setup(url);
    queue.push("metrics", { n: 1 });
    queue.push("metrics", { n: 2 });
    queue.push("health", { status: "healthy" });
    queue.push("metrics", { n: 3 });
    healthy = false;
    expect(await sender.flush()).toBe("retry");
    expect(seen.map((s) => s.path)).toEqual(["/api/v1/analytics/device-metrics", "/api/v1/devices/dev-1/health"]);
    expect(seen[0]?.body).toEqual({ samples: [{ n: 1 }, { n: 2 }] });
    expect(queue.size()).toBe(2);
    healthy = true;
    expect(await sender.flush()).toBe("empty");
    expect(queue.size()).toBe(0);
    expect(state.get().delivered_items).toBe(4);
  });

  it("keeps everything when the server is unreachable, and stops on 401", async () => {
    const down = setup("http://127.0.0.1:1");
    down.queue.push("metrics", { n: 1 });
    expect(await down.sender.flush()).toBe("retry");
    expect(down.queue.size()).toBe(1);
    expect(down.state.get().last_error).toContain("unreachable");

    const url = await fakeServer((_req, _body, res) => reply(res, 401, { detail: "Invalid device credentials" }));
    const revoked = setup(url);
    revoked.queue.push("metrics", { n: 1 });
    await expect(revoked.sender.flush()).rejects.toBeInstanceOf(KeyRejectedError);
    expect(revoked.queue.size()).toBe(1);
  });

  it("drops data the server refuses for good (422) and results of finished commands (409)", async () => {
    const url = await fakeServer((req, _body, res) =>
      reply(res, req.url?.includes("/result") ? 409 : 422, { detail: "nope" }),
    );
    const { queue, state, sender } = setup(url);
    queue.push("metrics", { cpu_percent: 900 });
    queue.push("result", { command_id: "cmd-1", status: "succeeded" });
    expect(await sender.flush()).toBe("empty");
    expect(queue.size()).toBe(0);
    expect(state.get().rejected_items).toBe(1);
  });
});

describe("command executor", () => {
  function setup(server: string, allowReboot = false, consent?: ConsentAsker) {
    const dir = tmp();
    const config = new DeviceConfigStore(join(dir, "device-config.json"), join(dir, "device-config.previous.json"));
    const state = new StateStore(join(dir, "state.json"));
    let healthCalls = 0;
    let syncs = 0;
    const lines: string[] = [];
    const permissions = new PermissionStore(join(dir, "permissions.json"));
    let nextHealth: "healthy" | "unhealthy" = "healthy";
    const takeHealth = async (): Promise<HealthSummary> => {
      healthCalls += 1;
      return {
        status: nextHealth,
        error: nextHealth === "healthy" ? null : "broken",
        cpu_percent: 10,
        memory_percent: 20,
        disk_percent: 30,
        sample_id: `s${healthCalls}`,
        taken_at: new Date().toISOString(),
      };
    };
    const executor = new CommandExecutor({
      api: new ApiClient(server, { deviceId: "dev-1", apiKey: "hpk_secret" }),
      config,
      state,
      log,
      allowReboot,
      takeHealth,
      sleep: async () => {},
      permissions,
      secrets: ["hpk_secret"],
      snapshot: async () => ({ uptime_seconds: 1 }),
      logLine: (_level, message) => void lines.push(message),
      syncPermissions: async () => {
        syncs += 1;
      },
      consent,
    });
    return {
      executor,
      config,
      state,
      dir,
      setHealth: (h: "healthy" | "unhealthy") => (nextHealth = h),
      calls: () => healthCalls,
      permissions,
      lines,
      syncs: () => syncs,
    };
  }
  const cmd = (command_type: string, payload: unknown = {}) => ({
    command_id: "cmd-1",
    command_type,
    payload,
    created_at: "",
    expires_at: null,
  });

  it("answers status_request with a snapshot and a live-log line; a permission request follows the owner's policy", async () => {
    const { executor, permissions, lines, syncs } = setup("http://127.0.0.1:9");
    const status = await executor.execute(cmd("status_request"));
    expect(status).toMatchObject({ status: "succeeded", result: { uptime_seconds: 1 } });
    expect(lines).toContain("Status requested by an operator");

    const ask = await executor.execute(cmd("request_permission", { permission: "command_execution" }));
    expect(ask.result).toMatchObject({ granted: false, pending: true });
    expect(permissions.get().pending.map((p) => p.permission)).toEqual(["command_execution"]);
    expect(permissions.get().grants.command_execution).toBe(false);

    permissions.setPolicy("deny");
    const denied = await executor.execute(cmd("request_permission", { permission: "process_monitoring" }));
    expect(denied).toMatchObject({ status: "failed", result: { granted: false, policy: "deny" } });

    permissions.setPolicy("auto");
    const auto = await executor.execute(cmd("request_permission", { permission: "command_execution" }));
    expect(auto.result).toMatchObject({ granted: true, policy: "auto" });
    expect(permissions.get().grants.command_execution).toBe(true);
    expect(syncs()).toBe(1);
    const ran = await executor.execute(cmd("run_command", { command: "echo hi" }));
    expect(ran).toMatchObject({ status: "succeeded", result: { stdout: "hi\n" } });
  });

  it("asks the owner when configured: a yes grants and a no refuses, each recorded locally and through the permission API", async () => {
    const answers = new Map<string, boolean>([
      ["command_execution", true],
      ["root_access", false],
    ]);
    const asked: string[] = [];
    const { executor, permissions, syncs } = setup("http://127.0.0.1:9", false, async (r) => {
      asked.push(`${r.permission}:${r.reason}`);
      return answers.get(r.permission) ?? null;
    });
    const yes = await executor.execute(cmd("request_permission", { permission: "command_execution", reason: "fix" }));
    expect(yes).toMatchObject({ status: "succeeded", result: { granted: true, answered: "owner" } });
    expect(permissions.get().grants.command_execution).toBe(true);
    const no = await executor.execute(cmd("request_permission", { permission: "root_access" }));
    expect(no).toMatchObject({ status: "failed", result: { granted: false, answered: "owner" } });
    expect(no.error_message).toContain("refused root_access");
    expect(permissions.get().grants.root_access).toBe(false);
    expect(syncs()).toBe(2);
    // No answer: pending as before, nothing synced.
    const later = await executor.execute(cmd("request_permission", { permission: "process_monitoring" }));
    expect(later.result).toMatchObject({ granted: false, pending: true });
    expect(permissions.get().pending.map((p) => p.permission)).toEqual(["process_monitoring"]);
    expect(syncs()).toBe(2);
    expect(asked).toEqual(["command_execution:fix", "root_access:null", "process_monitoring:null"]);
  });

  it("applies a downloaded config atomically, keeps the previous one, and reports health before and after", async () => {
    let served: unknown = { version: "2.0.0", receipt_footer: "Thanks" };
    const url = await fakeServer((req, _b, res) => {
      // The device key travels only to the server's own origin.
      expect(req.headers["x-device-id"]).toBe("dev-1");
      if (req.url === "/bad.json") {
        res.writeHead(200);
        return res.end("{not json");
      }
      reply(res, 200, served);
    });
    const { executor, config, state, dir, calls } = setup(url);
    writeFileSync(join(dir, "device-config.json"), JSON.stringify({ version: "1.0.0" }));
    const ok = await executor.execute(cmd("update_config", { config_url: "/configs/pos.json" }));
    expect(ok.status).toBe("succeeded");
    expect(ok.result).toMatchObject({
      config_version: "2.0.0",
      performance_before: { sample_id: "s1" },
      performance_after: { sample_id: "s2" },
    });
    expect(calls()).toBe(2);
    expect(config.current()).toEqual({ version: "2.0.0", receipt_footer: "Thanks" });
    expect(JSON.parse(readFileSync(join(dir, "device-config.previous.json"), "utf8"))).toEqual({ version: "1.0.0" });
    expect(state.get().config_version).toBe("2.0.0");

    const bad = await executor.execute(cmd("UPDATE_CONFIG", { config_url: "/bad.json" }));
    expect(bad).toMatchObject({ status: "failed", error_message: "config is not valid JSON" });
    served = [1, 2];
    const arr = await executor.execute(cmd("UPDATE_CONFIG", { config_url: "/arr.json" }));
    expect(arr).toMatchObject({ status: "failed", error_message: "config must be a JSON object" });
    expect(config.current()).toEqual({ version: "2.0.0", receipt_footer: "Thanks" });
  });

  it("rolls back a config that made the device unhealthy", async () => {
    const url = await fakeServer((_req, _b, res) => reply(res, 200, { version: "3.0.0" }));
    const { executor, config, state, dir, setHealth } = setup(url);
    writeFileSync(join(dir, "device-config.json"), JSON.stringify({ version: "1.0.0" }));
    state.update({ config_version: "1.0.0" });
    const original = executor.execute(cmd("update_config", { config_url: "/c.json" }));
    setHealth("unhealthy"); // the first reading was already taken synchronously as healthy
    const outcome = await original;
    expect(outcome.status).toBe("failed");
    expect(outcome.error_message).toContain("rolled back");
    expect(config.current()).toEqual({ version: "1.0.0" });
    expect(state.get().config_version).toBe("1.0.0");
    expect(statSync(join(dir, "device-config.json")).isFile()).toBe(true);
  });

  it("refuses REBOOT without --allow-reboot, fails unknown commands, answers PING", async () => {
    const { executor } = setup("http://127.0.0.1:1");
    expect(await executor.execute(cmd("reboot"))).toMatchObject({
      status: "failed",
      result: { error: "not permitted" },
    });
    expect(await executor.execute(cmd("self_destruct"))).toMatchObject({
      status: "failed",
      error_message: "unknown command type self_destruct",
    });
    expect(await executor.execute(cmd("ping"))).toMatchObject({ status: "succeeded", result: { pong: true } });
    expect(await executor.execute(cmd("restart_agent"))).toMatchObject({ status: "succeeded", afterwards: "restart" });
    const allowed = setup("http://127.0.0.1:1", true);
    expect(await allowed.executor.execute(cmd("REBOOT"))).toMatchObject({ status: "succeeded", afterwards: "reboot" });
  });
});

describe("local figures", () => {
  it("takes only real, non-negative numbers from the operator's source", () => {
    expect(
      parseFigures({
        transaction_count: 12.4,
        transaction_volume: 310.5,
        error_rate: -1,
        services: { pos_app: "running", x: 3 },
      }),
    ).toEqual({
      transaction_count: 12,
      transaction_volume: 310.5,
      error_rate: null,
      active_connections: null,
      queue_depth: null,
      services: { pos_app: "running" },
    });
    expect(() => parseFigures([1])).toThrow();
  });
});

describe("sender concurrency", () => {
  it("never sends the same item twice when flushes overlap", async () => {
    const received: unknown[] = [];
    const url = await fakeServer((_req, body, res) => {
      received.push(...((body as { samples: unknown[] }).samples ?? []));
      setTimeout(() => reply(res, 201, { success: true }), 30);
    });
    const dir = tmp();
    const queue = new DiskQueue(join(dir, "q"), 100);
    const sender = new Sender(
      new ApiClient(url, { deviceId: "dev-1", apiKey: "k" }),
      queue,
      new StateStore(join(dir, "s.json")),
      log,
    );
    for (let i = 0; i < 5; i++) queue.push("metrics", { i });
    const results = await Promise.all([sender.flush(), sender.flush(), sender.flush()]);
    expect(results).toEqual(["empty", "empty", "empty"]);
    expect(received).toHaveLength(5);
  });
});
