import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { commandNudgeTopic } from "@homepot/contracts/commands";
import mqtt, { type MqttClient } from "mqtt";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../../server/src/testing-process.ts";
import { NudgeListener } from "./nudge.ts";

/**
 * deploy/mosquitto/ (config + ACL) in a private Mosquitto on a free port with its own password file: only
 * the server publishes nudges, each device (username = device id) reads only its own topic.
 */
const MOSQUITTO = "/usr/sbin/mosquitto";
const users = { "homepot-server": "server-pw", "dev-a": "a-pw", "dev-b": "b-pw" } as const;
let broker: ChildProcess;
let brokerLog = "";
let url = "";
const clients: MqttClient[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Waits until the broker accepts TCP connections (or exits). */
async function listening(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (broker.exitCode !== null) throw new Error(`mosquitto exited ${broker.exitCode}: ${brokerLog}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: "127.0.0.1", port });
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mosquitto did not listen on ${port}: ${brokerLog}`);
}

/** Connects as `username`; rejects with the broker's refusal. */
function connect(username?: string, password?: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { username, password, reconnectPeriod: 0, connectTimeout: 5_000 });
    clients.push(client);
    client.once("connect", () => resolve(client));
    client.once("error", (err) => {
      client.end(true);
      reject(err);
    });
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "homepot-mosquitto-"));
  const passwd = join(dir, "passwd");
  writeFileSync(passwd, "", { mode: 0o600 });
  for (const [user, pw] of Object.entries(users)) execFileSync("mosquitto_passwd", ["-b", passwd, user, pw]);
  const port = await freePort();
  const conf = readFileSync(join(repoRoot, "deploy/mosquitto/mosquitto.conf"), "utf8")
    .replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
    .replace(/^password_file .*$/m, `password_file ${passwd}`)
    .replace(/^acl_file .*$/m, `acl_file ${join(repoRoot, "deploy/mosquitto/homepot.acl")}`);
  expect(conf).toContain(`listener ${port} 127.0.0.1`);
  // Started as root, mosquitto would switch to the "mosquitto" user, which cannot read this private dir.
  writeFileSync(join(dir, "mosquitto.conf"), `${conf}\nuser ${userInfo().username}\n`);
  broker = spawn(MOSQUITTO, ["-c", join(dir, "mosquitto.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  broker.stdout?.on("data", (d) => (brokerLog += String(d)));
  broker.stderr?.on("data", (d) => (brokerLog += String(d)));
  url = `mqtt://127.0.0.1:${port}`;
  await listening(port);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
  broker?.kill("SIGTERM");
});

describe("deploy/mosquitto ACL", () => {
  it("refuses anonymous and wrong-password logins", async () => {
    await expect(connect()).rejects.toThrow(/Not authorized|Bad username or password/);
    await expect(connect("dev-a", "wrong")).rejects.toThrow(/Not authorized|Bad username or password/);
  });

  it("delivers the server's nudges to the agent's listener, which logs in as its device id", async () => {
    const nudges: (string | undefined)[] = [];
    let nudged: () => void = () => {};
    const gotNudge = new Promise<void>((r) => (nudged = r));
    const listener = new NudgeListener(
      url,
      "dev-a",
      pino({ level: "silent" }),
      (id) => {
        nudges.push(id);
        nudged();
      },
      { password: users["dev-a"] },
    );
    listener.start();
    try {
      expect(await listener.subscribed).toBe(true);
      const server = await connect("homepot-server", users["homepot-server"]);
      await server.publishAsync(commandNudgeTopic("dev-a"), JSON.stringify({ message_id: "cmd-1" }), { qos: 1 });
      await gotNudge;
      expect(nudges).toEqual(["cmd-1"]);
    } finally {
      await listener.stop();
    }
  });

  it("lets a device read only its own topic, and drops its nudges to other devices", async () => {
    // Mosquitto grants a subscription the ACL does not allow, then never delivers a message through it.
    const a = await connect("dev-a", users["dev-a"]);
    const b = await connect("dev-b", users["dev-b"]);
    const server = await connect("homepot-server", users["homepot-server"]);
    const seen = { a: [] as string[], b: [] as string[] };
    const arrived = { a: () => {}, b: () => {} };
    const last = {
      a: new Promise<void>((r) => (arrived.a = r)),
      b: new Promise<void>((r) => (arrived.b = r)),
    };
    for (const [name, client] of [
      ["a", a],
      ["b", b],
    ] as const) {
      client.on("message", (topic, message) => {
        seen[name].push(`${topic} ${message.toString()}`);
        if (message.toString() === `last-for-${name}`) arrived[name]();
      });
    }
    await a.subscribeAsync([commandNudgeTopic("dev-a"), commandNudgeTopic("dev-b"), "homepot/#", "#"], { qos: 1 });
    await b.subscribeAsync(commandNudgeTopic("dev-b"), { qos: 1 });
    // dev-a forges nudges for dev-b and for itself; the broker acknowledges and drops them.
    await a.publishAsync(commandNudgeTopic("dev-b"), "forged-by-a", { qos: 1 });
    await a.publishAsync(commandNudgeTopic("dev-a"), "forged-self", { qos: 1 });
    // The server's nudges, published after (the broker handles them in order), are all that arrives.
    await server.publishAsync(commandNudgeTopic("dev-b"), "last-for-b", { qos: 1 });
    await server.publishAsync(commandNudgeTopic("dev-a"), "last-for-a", { qos: 1 });
    await Promise.all([last.a, last.b]);
    // dev-a's wildcard and dev-b subscriptions brought it nothing of dev-b's; each got only its own nudge
    // (dev-a once per matching subscription it holds on its own topic).
    expect(seen.b).toEqual([`${commandNudgeTopic("dev-b")} last-for-b`]);
    expect(new Set(seen.a)).toEqual(new Set([`${commandNudgeTopic("dev-a")} last-for-a`]));
  });
});
