import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { StateStore } from "../state/agent-state.ts";
import { DeviceConfigStore } from "../state/device-config.ts";
import { DiskQueue } from "../state/disk-queue.ts";
import { PermissionStore } from "../state/permissions.ts";
import { Agent } from "./agent.ts";
import { ApiClient } from "./api.ts";
import { createLogger } from "./logger.ts";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A fake HOMEPOT server: hands out `pending` once, records every request. */
async function fakeServer(pending: unknown[]) {
  const requests: { method: string; url: string; body: unknown }[] = [];
  const server = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", body: data ? JSON.parse(data) : null });
      res.writeHead(req.method === "POST" ? 201 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify(req.url === "/api/v1/devices/pending" ? pending.splice(0) : { success: true }));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function agentFor(url: string): Agent {
  const dir = mkdtempSync(join(tmpdir(), "homepot-agent-nudge-"));
  return new Agent(
    {
      api: new ApiClient(url, { deviceId: "dev-1", apiKey: "hpk_secret" }),
      queue: new DiskQueue(join(dir, "queue"), 100),
      state: new StateStore(join(dir, "state.json")),
      config: new DeviceConfigStore(join(dir, "device-config.json"), join(dir, "device-config.previous.json")),
      log: createLogger("silent"),
      permissions: new PermissionStore(join(dir, "permissions.json")),
    },
    { intervalS: 30, pollIntervalS: 15, allowReboot: false, local: {}, nudgeWindowMs: 20, nudgeGapMs: 50 },
  );
}

describe("push notifications", () => {
  it("picks up pushes, logs them for the live log, and acknowledges each as delivered", async () => {
    const requests: { url: string; body: unknown }[] = [];
    const server = createServer((req, res) => {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => {
        requests.push({ url: req.url ?? "", body: data ? JSON.parse(data) : null });
        res.writeHead(200, { "content-type": "application/json" });
        if (req.url === "/api/v1/devices/pending") return res.end("[]");
        if (req.url === "/api/v1/push/pending" && !requests.slice(0, -1).some((r) => r.url === req.url))
          return res.end(JSON.stringify({ notifications: [{ message_id: "m-1", title: "Prices", body: "at 18:00" }] }));
        res.end(JSON.stringify({ success: true, notifications: [] }));
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const agent = agentFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await agent.once();
    const ack = requests.find((r) => r.url === "/api/v1/push/ack");
    expect(ack?.body).toMatchObject({ message_id: "m-1", device_id: "dev-1", status: "delivered" });
    const logs = requests.filter((r) => r.url === "/api/v1/agent/logs").flatMap((r) => r.body as { message: string }[]);
    expect(logs.map((l) => l.message)).toContain("Notification: Prices: at 18:00");
    await agent.stop();
  });
});

describe("MQTT nudges", () => {
  it("turns a burst of forged nudges into one poll and acknowledges none of them", async () => {
    const server = await fakeServer([]);
    const agent = agentFor(server.url);
    await Promise.all(Array.from({ length: 200 }, (_, i) => agent.nudge(`forged-${i}`)));
    // One poll (with its heartbeat and push pickup), no ack.
    const calls = server.requests.map((r) => `${r.method} ${r.url}`);
    expect(calls.filter((c) => c === "GET /api/v1/devices/pending")).toHaveLength(1);
    expect(calls.filter((c) => c.includes("/ack"))).toEqual([]);
    await agent.stop();
  });

  it("acknowledges only a nudge that named a command the server handed to this device", async () => {
    const command = { command_id: "cmd-real", command_type: "PING", payload: {}, created_at: "", expires_at: null };
    const server = await fakeServer([command]);
    const agent = agentFor(server.url);
    await Promise.all([agent.nudge("forged"), agent.nudge("cmd-real"), agent.nudge(undefined)]);
    const acks = server.requests.filter((r) => r.url === "/api/v1/push/ack");
    expect(acks.map((r) => r.body)).toEqual([{ message_id: "cmd-real", device_id: "dev-1", status: "received" }]);
    expect(server.requests.filter((r) => r.url === "/api/v1/devices/pending")).toHaveLength(1);
    expect(server.requests.some((r) => r.url === "/api/v1/devices/commands/cmd-real/result")).toBe(true);
    // A later nudge waits for the gap, then polls once more; the ack is not repeated.
    await agent.nudge("cmd-real");
    expect(server.requests.filter((r) => r.url === "/api/v1/devices/pending")).toHaveLength(2);
    expect(server.requests.filter((r) => r.url === "/api/v1/push/ack")).toHaveLength(1);
    await agent.stop();
  });
});
