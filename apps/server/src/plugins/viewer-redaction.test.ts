import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../testing.ts";

/** Issue 23 §4: viewers read configs and payloads without the secrets in them. */
let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
let operator: Awaited<ReturnType<typeof loginAs>>;
let viewer: Awaited<ReturnType<typeof loginAs>>;
let deviceHeaders: Record<string, string>;
const config = {
  wifi_ssid: "store-5g",
  wifi_password: "hunter2-wifi",
  db: { host: "db", db_password: "pg-s3cret" },
  apiKey: "k-123",
};

beforeAll(async () => {
  t = await createTestApp();
  [admin, operator, viewer] = [await loginAs(t, "admin"), await loginAs(t, "operator"), await loginAs(t, "viewer")];
  await t.app.inject({
    method: "POST",
    url: "/api/v1/sites",
    headers: admin.headers,
    payload: { site_id: "site-red", name: "Red" },
  });
  const device = await t.app.inject({
    method: "POST",
    url: "/api/v1/devices/sites/site-red/devices",
    headers: admin.headers,
    payload: { device_id: "pos-red-1", name: "Till", device_type: "pos_terminal", config },
  });
  expect(device.statusCode).toBe(201);
  deviceHeaders = { "x-device-id": "pos-red-1", "x-api-key": device.json().api_key };
  const command = await t.app.inject({
    method: "POST",
    url: "/api/v1/devices/pos-red-1/commands",
    headers: operator.headers,
    payload: { command_type: "UPDATE_CONFIG", payload: { config: { wifi_password: "next-wifi-pw", volume: 3 } } },
  });
  expect(command.statusCode).toBe(201);
});
afterAll(async () => t.close());

describe("secret-looking keys of configs and payloads", () => {
  it("read as ••• for a viewer, with everything else intact", async () => {
    const device = await t.app.inject({ method: "GET", url: "/api/v1/devices/pos-red-1", headers: viewer.headers });
    expect(device.statusCode).toBe(200);
    expect(device.body).not.toMatch(/hunter2-wifi|pg-s3cret|k-123/);
    expect(JSON.stringify(device.json())).toContain('"wifi_password":"•••"');
    expect(device.body).toContain("store-5g");
    expect(device.body).toContain('"host":"db"');
    const commands = await t.app.inject({
      method: "GET",
      url: "/api/v1/devices/pos-red-1/commands",
      headers: viewer.headers,
    });
    expect(commands.statusCode).toBe(200);
    expect(commands.body).not.toContain("next-wifi-pw");
    expect(commands.json().commands[0].payload.config).toEqual({ wifi_password: "•••", volume: 3 });
  });

  it("are shown to operators and admins, who change them, and to the device the command is for", async () => {
    for (const who of [operator, admin]) {
      const device = await t.app.inject({ method: "GET", url: "/api/v1/devices/pos-red-1", headers: who.headers });
      expect(device.body).toContain("hunter2-wifi");
    }
    const pending = await t.app.inject({ method: "GET", url: "/api/v1/devices/pending", headers: deviceHeaders });
    expect(pending.body).toContain("next-wifi-pw");
  });
});
