import { deviceCommands } from "@homepot/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice } from "../devices/device-factories.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { HOMEPOT_COMMAND_RATE_PER_MIN: "3" } });
});
afterAll(async () => t?.close());

describe("per-user limit on queuing commands (terminal input included)", () => {
  it("answers 429 to one user beyond the budget, queues nothing more, and leaves other users alone", async () => {
    const { device } = await makeDevice(t);
    const [first, second] = [await loginAs(t, "operator"), await loginAs(t, "operator")];
    const queue = (headers: Record<string, string>) =>
      t.app.inject({
        method: "POST",
        url: `/api/v1/devices/${device.deviceId}/commands`,
        headers,
        payload: { command_type: "RUN_HEALTH_CHECK" },
      });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await queue(first.headers)).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limited = await queue(first.headers);
    expect(limited.statusCode).toBe(429);
    expect(typeof limited.json().detail).toBe("string");
    // Same address, another user: a budget of their own.
    expect((await queue(second.headers)).statusCode).toBe(201);
    const rows = await t.database.db.select().from(deviceCommands).where(eq(deviceCommands.deviceId, device.deviceId));
    expect(rows).toHaveLength(4);

    // Bulk actions queue one command per device: they count against the same kind of budget.
    const bulk = () =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/devices/bulk",
        headers: second.headers,
        payload: { device_ids: [device.deviceId], action: "command", command_type: "PING" },
      });
    const bulkStatuses = [];
    for (let i = 0; i < 4; i += 1) bulkStatuses.push((await bulk()).statusCode);
    expect(bulkStatuses.slice(0, 3).every((s) => s < 400)).toBe(true);
    expect(bulkStatuses[3]).toBe(429);
  });
});
