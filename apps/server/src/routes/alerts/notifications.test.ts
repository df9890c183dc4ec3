import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { escalateAlerts } from "@homepot/core/alerts/notify";
import { raiseAlert } from "@homepot/core/alerts/raise-alert";
import { deliverNotifications } from "@homepot/core/notifications/deliver-notifications";
import { signWebhook } from "@homepot/core/notifications/senders";
import { notificationChannels, notificationDeliveries } from "@homepot/db";
import { eq } from "drizzle-orm";
import mqtt from "mqtt";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, expectRequiresRole, loginAs, type TestApp } from "../../testing.ts";
import { makeSite } from "../devices/device-factories.ts";

let now = new Date("2026-03-02T10:00:00Z").getTime();
const clock = { now: () => new Date(now) };
let t: TestApp;
let admin: Record<string, string>;

/** A local HTTP endpoint recording what it receives; `failing` makes it answer 500. */
const received: { headers: IncomingMessage["headers"]; body: string; path: string }[] = [];
let failing = false;
let http: Server;
let base = "";

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = (await loginAs(t, "admin")).headers;
  http = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body, path: req.url ?? "" });
      res.statusCode = failing ? 500 : 200;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => http.close(r));
  await t.close();
});

const channel = async (payload: Record<string, unknown>) => {
  const res = await t.app.inject({ method: "POST", url: "/api/v1/alerts/channels", headers: admin, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data;
};
let seq = 0;
const alert = (severity = "critical", siteId: string | null = "site-n") =>
  raiseAlert(t.ctx, {
    fingerprint: `test:${++seq}`,
    source: "device",
    kind: "device_reported",
    severity,
    deviceId: `pos-n${seq}`,
    siteId,
    title: `Till ${seq} is down`,
    message: `Till ${seq} stopped taking payments`,
  });
const deliver = () => deliverNotifications(t.ctx, t.app.alertVault);
const clearChannels = () => t.ctx.db.delete(notificationChannels);

describe("notification channels", () => {
  it("are for admins; secrets are sealed at rest, never shown again, and a webhook's signing secret is shown once", async () => {
    await expectRequiresRole(t, { method: "GET", url: "/api/v1/alerts/channels" }, "admin");
    const url = `${base}/hook?token=very-secret-token`;
    const ch = await channel({ name: "ops hook", type: "webhook", secrets: { url } });
    expect(ch.signing_secret).toMatch(/^[\w-]{40,}$/);
    expect(ch.secrets_set.sort()).toEqual(["signing_secret", "url"]);
    const list = await t.app.inject({ url: "/api/v1/alerts/channels", headers: admin });
    expect(list.body).not.toContain("very-secret-token");
    expect(list.body).not.toContain(ch.signing_secret);
    const [row] = await t.ctx.db.select().from(notificationChannels).where(eq(notificationChannels.id, ch.id));
    expect(row?.secret).toMatch(/^v1\./);
    expect(row?.secret).not.toContain("very-secret-token");
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/alerts/channels",
      headers: admin,
      payload: { name: "x", type: "slack" },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toContain("secrets.url");
    await clearChannels();
  });

  it("webhook: HMAC-signed, routed by severity and site, retried with backoff, dead-lettered and shown", async () => {
    const ch = await channel({
      name: "hook",
      type: "webhook",
      secrets: { url: `${base}/signed` },
      min_severity: "critical",
      site_ids: ["site-n"],
      max_attempts: 2,
    });
    received.length = 0;
    await alert("warning");
    await alert("critical", "site-other");
    const { alert: a } = await alert("critical");
    expect(await deliver()).toEqual({ sent: 1, failed: 0, dead: 0 });
    expect(received).toHaveLength(1);
    const got = received[0]!;
    const ts = String(got.headers["x-homepot-timestamp"]);
    expect(got.headers["x-homepot-signature"]).toBe(signWebhook(ch.signing_secret, ts, got.body));
    expect(JSON.parse(got.body)).toMatchObject({ event: "opened", alerts: [{ id: a.id, severity: "critical" }] });

    failing = true;
    await alert("critical");
    expect(await deliver()).toEqual({ sent: 0, failed: 1, dead: 0 });
    expect(await deliver()).toEqual({ sent: 0, failed: 0, dead: 0 }); // backing off
    now += 31_000;
    expect(await deliver()).toEqual({ sent: 0, failed: 0, dead: 1 });
    failing = false;
    const dead = await t.app.inject({ url: "/api/v1/alerts/deliveries?status=dead", headers: admin });
    expect(dead.json().deliveries).toHaveLength(1);
    expect(dead.json().deliveries[0].last_error).toBe("HTTP 500 from the endpoint");
    const chans = (await t.app.inject({ url: "/api/v1/alerts/channels", headers: admin })).json().channels;
    expect(chans[0].dead_deliveries).toBe(1);
    const id = dead.json().deliveries[0].id;
    const retry = await t.app.inject({ method: "POST", url: `/api/v1/alerts/deliveries/${id}/retry`, headers: admin });
    expect(retry.json().data.status).toBe("pending");
    expect((await deliver()).sent).toBe(1);
    await clearChannels();
  });

  it("quiet hours hold messages, a digest sends them together, escalation re-sends an unacknowledged alert", async () => {
    await channel({
      name: "slack digest",
      type: "slack",
      secrets: { url: `${base}/slack` },
      quiet_hours: { start: "09:30", end: "10:30" },
      digest_minutes: 15,
      escalate_after_minutes: 30,
      min_severity: "info",
    });
    received.length = 0;
    now = new Date("2026-03-03T10:00:00Z").getTime();
    await alert();
    await alert();
    expect((await deliver()).sent).toBe(0);
    now = new Date("2026-03-03T10:30:00Z").getTime();
    expect((await deliver()).sent).toBe(2);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body).text).toContain("2 alert notifications");
    now = new Date("2026-03-03T11:00:00Z").getTime();
    expect(await escalateAlerts(t.ctx)).toBeGreaterThanOrEqual(2);
    const rows = await t.ctx.db
      .select()
      .from(notificationDeliveries)
      .where(eq(notificationDeliveries.event, "escalated"));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(await escalateAlerts(t.ctx)).toBe(0);
    await clearChannels();
  });

  it("quiet hours and digests follow the channel's time zone, else the alert's site's, across a DST change", async () => {
    const site = await makeSite(t, { timezone: "America/New_York" });
    const slack = (name: string, extra: object) =>
      channel({ name, type: "slack", secrets: { url: `${base}/${name}` }, min_severity: "info", ...extra });
    const local = await slack("night-shift", { quiet_hours: { start: "22:00", end: "06:00" } });
    expect(local).toMatchObject({ quiet_hours: { start: "22:00", end: "06:00" }, timezone: null });
    const berlin = await slack("berlin", { quiet_hours: { start: "22:00", end: "07:00" }, timezone: "Europe/Berlin" });
    expect(berlin.timezone).toBe("Europe/Berlin");
    // A daily digest without quiet hours: sent at local midnight of its own zone, else of the site's.
    const tokyo = await slack("tokyo-daily", { digest_minutes: 1440, timezone: "Asia/Tokyo" });
    const siteDaily = await slack("site-daily", { digest_minutes: 1440 });
    // 22:00 EST on 7 March 2026 (US clocks spring forward that night) is 04:00 CET on the 8th in Berlin.
    now = new Date("2026-03-08T03:00:00Z").getTime();
    const { alert: a } = await alert("critical", site.siteId);
    const held = await t.ctx.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.alertId, a.id));
    const at = (id: number) => held.find((d) => d.channelId === id)?.nextAttemptAt.toISOString();
    expect(at(local.id)).toBe("2026-03-08T10:00:00.000Z"); // 06:00 EDT
    expect(at(berlin.id)).toBe("2026-03-08T06:00:00.000Z"); // 07:00 CET
    expect(at(tokyo.id)).toBe("2026-03-08T15:00:00.000Z"); // midnight JST
    expect(at(siteDaily.id)).toBe("2026-03-08T05:00:00.000Z"); // midnight EST
    const bad = await t.app.inject({
      method: "PUT",
      url: `/api/v1/alerts/channels/${berlin.id}`,
      headers: admin,
      payload: { timezone: "Mars/Olympus" },
    });
    expect(bad.statusCode).toBe(422);
    await clearChannels();
  });

  it("email over a real SMTP server, Teams and MQTT: 'send test notification' says whether it arrived", async () => {
    const mails: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, _session, done) {
        let text = "";
        stream.on("data", (c) => {
          text += c;
        });
        stream.on("end", () => {
          mails.push(text);
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const email = await channel({
        name: "on-call mail",
        type: "email",
        settings: { to: ["oncall@example.com"], from: "homepot@example.com", smtp_host: "127.0.0.1", smtp_port: port },
      });
      const test = (id: number) =>
        t.app.inject({ method: "POST", url: `/api/v1/alerts/channels/${id}/test`, headers: admin });
      const r = await test(email.id);
      expect(r.json().data).toEqual({ delivered: true, error: null });
      expect(mails).toHaveLength(1);
      expect(mails[0]).toContain("Subject: [TEST] Test notification from HOMEPOT (on-call mail)");
      expect(mails[0]).toContain("oncall@example.com");

      const teams = await channel({ name: "teams", type: "teams", secrets: { url: `${base}/teams` } });
      received.length = 0;
      expect((await test(teams.id)).json().data.delivered).toBe(true);
      expect(JSON.parse(received[0]!.body).text).toContain("Test notification");
      failing = true;
      const down = (await test(teams.id)).json();
      failing = false;
      expect(down.data).toEqual({ delivered: false, error: "HTTP 500 from the endpoint" });

      const topic = `homepot-test/${process.pid}/${Date.now()}`;
      const sub = await mqtt.connectAsync("mqtt://127.0.0.1:1883");
      const got = new Promise<string>((resolve) => sub.on("message", (_t, m) => resolve(m.toString())));
      await sub.subscribeAsync(topic, { qos: 1 });
      const m = await channel({ name: "mqtt", type: "mqtt", settings: { mqtt_url: "mqtt://127.0.0.1:1883", topic } });
      expect((await test(m.id)).json().data.delivered).toBe(true);
      expect(JSON.parse(await got)).toMatchObject({ event: "test" });
      await sub.endAsync();
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
      await clearChannels();
    }
  });
});
