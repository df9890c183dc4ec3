import { waitFor } from "@homepot/core/jobs/fake-fleet.testing";
import { ManualClock } from "@homepot/core/simulator/scheduler";
import { type SimulatedFleet, startSimulatedFleet } from "@homepot/core/simulator/start-simulated-fleet";
import { auditLogs } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";

// Monday 5 January 2026, 12:30 UTC: the demo sites are open.
const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 30));
let t: TestApp;
let sim: SimulatedFleet;
let operator: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  sim = await startSimulatedFleet({ ...t.ctx, clock }, { devices: 2, clock, seed: 11 });
  operator = (await loginAs(t, "operator")).headers;
});
afterAll(async () => {
  await sim?.stop();
  await t?.close();
});

type Json = any;
const queue = async (deviceId: string, body: object) => {
  const res = await t.app.inject({
    method: "POST",
    url: `/api/v1/devices/${deviceId}/commands`,
    headers: operator,
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data.command_id as string;
};
/** Runs simulated time until the device has reported the command's end; answers the command. */
async function finished(deviceId: string, commandId: string): Promise<Json> {
  return waitFor(
    async () => {
      await sim.fleet.advance(5_000);
      const res = await t.app.inject({
        method: "GET",
        url: `/api/v1/devices/${deviceId}/commands?limit=50`,
        headers: operator,
      });
      const c = res.json().commands.find((x: Json) => x.command_id === commandId);
      return c && !["pending", "sent"].includes(c.status) ? c : undefined;
    },
    `command ${commandId}`,
    60_000,
  );
}
const grants = async (deviceId: string) =>
  (
    await t.app.inject({
      method: "GET",
      url: `/api/v1/devices/device/${deviceId}/permissions`,
      headers: operator,
    })
  ).json();

describe("the simulated fleet runs remote operations as a device would", () => {
  it("grants a requested permission through the permission API, then runs terminal commands under it", async () => {
    const id = "pos-terminal-001";
    const refused = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/${id}/commands`,
      headers: operator,
      payload: { command_type: "run_command", payload: { command: "echo hi" } },
    });
    expect(refused.statusCode).toBe(403);

    const ask = await finished(
      id,
      await queue(id, { command_type: "request_permission", payload: { permission: "command_execution" } }),
    );
    expect(ask).toMatchObject({ status: "succeeded", result: { permission: "command_execution", granted: true } });
    expect((await grants(id)).data.permissions.command_execution).toBe(true);
    const audit = await t.database.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.eventType, "device_permissions_updated"));
    expect(audit.some((a) => JSON.stringify(a.eventMetadata).includes(id))).toBe(true);

    const ran = await finished(
      id,
      await queue(id, { command_type: "run_command", payload: { command: "echo hello; hostname" } }),
    );
    expect(ran).toMatchObject({
      status: "succeeded",
      result: { exit_code: 0, stdout: `hello\n${id}\n`, stderr: "", truncated: false },
    });
    const missing = await finished(
      id,
      await queue(id, { command_type: "run_script", payload: { script: "echo a\nfrobnicate\necho b\n" } }),
    );
    expect(missing).toMatchObject({
      status: "failed",
      error_message: "exited with code 127",
      result: { exit_code: 127, stdout: "a\n", stderr: "sh: frobnicate: not found\n" },
    });
    // sudo needs run_as_root (and the server already wants root_access for that): the device refuses it itself.
    const sudo = await finished(
      id,
      await queue(id, { command_type: "run_command", payload: { command: "sudo reboot" } }),
    );
    expect(sudo).toMatchObject({ status: "failed", result: { refused: true } });
  });

  it("a device whose owner refuses requests answers failed and grants nothing", async () => {
    const id = "pos-terminal-002";
    sim.fleet.device(id).permissionPolicy = "deny";
    const ask = await finished(
      id,
      await queue(id, { command_type: "request_permission", payload: { permission: "process_monitoring" } }),
    );
    expect(ask).toMatchObject({
      status: "failed",
      result: { permission: "process_monitoring", granted: false, policy: "deny" },
    });
    expect((await grants(id)).data.permissions.process_monitoring).toBe(false);
  });
});
