import { createHmac } from "node:crypto";
import mqtt from "mqtt";
import nodemailer from "nodemailer";
import type { ChannelRow } from "./channel.repository.ts";

/** What one delivery (or digest) says: the alert snapshots and a human rendering of them. */
export interface OutgoingMessage {
  event: string;
  subject: string;
  text: string;
  alerts: readonly Record<string, unknown>[];
}

const TIMEOUT_MS = 10_000;

/** `sha256=<hex>` of `<timestamp>.<body>` under the channel's signing secret (the X-Homepot-Signature header). */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "homepot-alerts", ...headers },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: "error",
  });
  if (!res.ok) throw new Error(`HTTP ${res.status} from the endpoint`);
}

function setting(ch: ChannelRow, key: string): unknown {
  return (ch.settings as Record<string, unknown>)[key];
}

/** Sends one message over a channel; throws (with a message safe to store) when it was not accepted. */
export async function sendToChannel(
  ch: ChannelRow,
  secrets: Record<string, string>,
  msg: OutgoingMessage,
  now: Date,
): Promise<void> {
  switch (ch.type) {
    case "webhook": {
      if (!secrets.url) throw new Error("no URL set");
      const body = JSON.stringify({ event: msg.event, subject: msg.subject, text: msg.text, alerts: msg.alerts });
      const ts = String(Math.floor(now.getTime() / 1000));
      const headers: Record<string, string> = { "x-homepot-event": msg.event, "x-homepot-timestamp": ts };
      if (secrets.signing_secret) headers["x-homepot-signature"] = signWebhook(secrets.signing_secret, ts, body);
      return post(secrets.url, body, headers);
    }
    case "slack":
    case "teams":
      if (!secrets.url) throw new Error("no URL set");
      // Both incoming-webhook flavours take a plain {text}; Slack renders *bold*, Teams renders markdown.
      return post(secrets.url, JSON.stringify({ text: `*${msg.subject}*\n${msg.text}` }));
    case "email": {
      const user = setting(ch, "smtp_username");
      const transport = nodemailer.createTransport({
        host: String(setting(ch, "smtp_host") ?? "127.0.0.1"),
        port: Number(setting(ch, "smtp_port") ?? 25),
        secure: setting(ch, "smtp_secure") === true,
        ...(typeof user === "string" && user ? { auth: { user, pass: secrets.smtp_password ?? "" } } : {}),
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
      });
      try {
        await transport.sendMail({
          from: String(setting(ch, "from") ?? "homepot@localhost"),
          to: (setting(ch, "to") as string[] | undefined) ?? [],
          subject: msg.subject,
          text: msg.text,
        });
      } finally {
        transport.close();
      }
      return;
    }
    case "mqtt": {
      const user = setting(ch, "mqtt_username");
      const client = await mqtt.connectAsync(String(setting(ch, "mqtt_url") ?? "mqtt://127.0.0.1:1883"), {
        connectTimeout: TIMEOUT_MS,
        reconnectPeriod: 0,
        ...(typeof user === "string" && user ? { username: user, password: secrets.mqtt_password ?? "" } : {}),
      });
      try {
        const body = JSON.stringify({ event: msg.event, subject: msg.subject, alerts: msg.alerts });
        await client.publishAsync(String(setting(ch, "topic") ?? "homepot/alerts"), body, { qos: 1 });
      } finally {
        await client.endAsync();
      }
      return;
    }
    default:
      throw new Error(`unknown channel type ${ch.type}`);
  }
}

/** Subject and text of a message about some alerts (one, or a digest). */
export function render(event: string, alerts: readonly Record<string, unknown>[]): OutgoingMessage {
  const line = (a: Record<string, unknown>) =>
    `[${String(a.severity).toUpperCase()}] ${String(a.message ?? a.title)}${a.device_id ? ` (${String(a.device_id)})` : ""}`;
  const tag = event === "resolved" ? "RESOLVED" : event === "escalated" ? "ESCALATED" : event === "test" ? "TEST" : "";
  const first = alerts[0];
  if (alerts.length === 1 && first)
    return {
      event,
      subject: `${tag ? `[${tag}] ` : ""}${String(first.title)}`,
      text: `${line(first)}\nstatus: ${String(first.status)} · alert #${String(first.id)}`,
      alerts,
    };
  return {
    event,
    subject: `HOMEPOT: ${alerts.length} alert notifications`,
    text: alerts.map((a) => `${a.event ? `${String(a.event)}: ` : ""}${line(a)}`).join("\n"),
    alerts,
  };
}
