import { auditLogs } from "@homepot/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeDevice } from "../devices/device-factories.ts";

let now = new Date("2026-11-27T12:00:00Z");
const clock = { now: () => now };
let t: TestApp;
let operator: Record<string, string>;
let viewer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  operator = (await loginAs(t, "operator")).headers;
  viewer = (await loginAs(t, "viewer")).headers;
});
afterAll(async () => t?.close());

const push = (deviceId: string, body: object, headers = operator) =>
  t.app.inject({ method: "POST", url: `/api/v1/agents/${deviceId}/push`, headers, payload: body });
const pending = (headers: Record<string, string>) =>
  t.app.inject({ method: "GET", url: "/api/v1/push/pending", headers });
const ack = (headers: Record<string, string>, body: object) =>
  t.app.inject({ method: "POST", url: "/api/v1/push/ack", headers, payload: body });
const logs = async (deviceId: string) =>
  (await t.app.inject({ method: "GET", url: `/api/v1/devices/device/${deviceId}/push-logs`, headers: viewer })).json()
    .push_logs;

describe("push notifications with delivery tracking", () => {
  it("sent → picked up once → delivered with its latency, in the history; audited", async () => {
    const dev = await makeDevice(t);
    const id = dev.device.deviceId;
    const sent = await push(id, { title: "Price update", body: "New prices at 18:00", data: { batch: 7 }, ttl: 600 });
    expect(sent.statusCode, sent.body).toBe(200);
    const { message_id } = sent.json();
    expect(sent.json()).toMatchObject({ device_id: id, message: `Push notification sent to ${id}` });
    expect((await logs(id))[0]).toMatchObject({ message_id, status: "sent", fetched_at: null });

    const got = await pending(dev.headers);
    expect(got.json().notifications).toEqual([
      expect.objectContaining({ message_id, title: "Price update", body: "New prices at 18:00", data: { batch: 7 } }),
    ]);
    expect((await pending(dev.headers)).json().notifications).toEqual([]);

    const res = await ack(dev.headers, {
      message_id,
      device_id: id,
      status: "delivered",
      received_at: "2026-11-27T12:00:01.500Z",
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().message).toBe("Push delivery recorded");
    expect((await logs(id))[0]).toMatchObject({ status: "delivered", latency_ms: 1500, acked_by: id });
    const again = await ack(dev.headers, { message_id, device_id: id, status: "failed", error_message: "late" });
    expect(again.statusCode).toBe(409);
    const events = await t.database.db.select().from(auditLogs).where(eq(auditLogs.deviceId, dev.device.id));
    expect(events.map((e) => e.eventType)).toEqual(expect.arrayContaining(["push_sent", "push_delivered"]));
  });

  it("a failure is recorded with its reason; an operator's token may acknowledge (audited as that user)", async () => {
    const dev = await makeDevice(t);
    const id = dev.device.deviceId;
    const first = (await push(id, { title: "a", body: "b" })).json().message_id;
    const second = (await push(id, { title: "c", body: "d" })).json().message_id;
    await ack(dev.headers, { message_id: first, device_id: id, status: "failed", error_message: "DEVICE_OFFLINE" });
    const byUser = await ack(operator, { message_id: second, device_id: id, status: "delivered" });
    expect(byUser.statusCode, byUser.body).toBe(200);
    const history = await logs(id);
    expect(history.find((p: { message_id: string }) => p.message_id === first)).toMatchObject({
      status: "failed",
      error_message: "DEVICE_OFFLINE",
    });
    expect(history.find((p: { message_id: string }) => p.message_id === second).status).toBe("delivered");
    const [audit] = await t.database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.deviceId, dev.device.id), eq(auditLogs.eventType, "push_delivered")));
    expect(audit?.userId).not.toBeNull();
  });

  it("a device never reads or acknowledges another device's pushes", async () => {
    const a = await makeDevice(t);
    const b = await makeDevice(t);
    const message_id = (await push(b.device.deviceId, { title: "for b", body: "x" })).json().message_id;
    expect((await pending(a.headers)).json().notifications).toEqual([]);
    expect((await ack(a.headers, { message_id, device_id: a.device.deviceId, status: "delivered" })).statusCode).toBe(
      403,
    );
    expect((await ack(a.headers, { message_id, device_id: b.device.deviceId, status: "delivered" })).statusCode).toBe(
      403,
    );
    expect((await logs(b.device.deviceId))[0].status).toBe("sent");
    expect((await pending(b.headers)).json().notifications).toHaveLength(1);
  });

  it("expired pushes are not handed out and read expired; bad input names the field; roles", async () => {
    const dev = await makeDevice(t);
    const id = dev.device.deviceId;
    await push(id, { title: "soon gone", body: "x", ttl: 60 });
    now = new Date(now.getTime() + 120_000);
    expect((await pending(dev.headers)).json().notifications).toEqual([]);
    expect((await logs(id))[0].status).toBe("expired");
    const bad = await push(id, { body: "no title" });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("title");
    expect((await push("no-such-device", { title: "x", body: "y" })).statusCode).toBe(404);
    await expectRequiresRole(
      t,
      { method: "POST", url: `/api/v1/agents/${id}/push`, payload: { title: "x", body: "y" } },
      "operator",
    );
    await expectRequiresRole(t, { method: "GET", url: `/api/v1/devices/device/${id}/push-logs` }, "viewer");
    expect((await t.app.inject({ method: "GET", url: "/api/v1/push/pending", headers: operator })).statusCode).toBe(
      401,
    );
  });
});
