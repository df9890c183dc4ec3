import { type CommandNudge, commandNudgeTopic, legacyCommandNudgeTopic } from "@homepot/contracts/commands";
import { type Context, ErrorCodes, logError } from "@homepot/core";
import { type CommandQueuedEvent, commandBus } from "@homepot/core/commands/command-bus";
import type { FastifyInstance } from "fastify";
import mqtt, { type MqttClient } from "mqtt";
import { type BackgroundTask, taskContext } from "./background-task.ts";

/**
 * MQTT push (when MQTT_URL is set): every queued command publishes a nudge on
 * `homepot/devices/{device_id}/commands` and on the original HOMEPOT's `devices/{device_id}/commands`, so the
 * device (ours or an original agent) polls at once. The nudge carries no payload
 * and no secret; devices treat it only as a hint to poll. With broker authentication the server logs
 * in as MQTT_USERNAME (deploy/mosquitto/ has an ACL that lets only it publish nudges). A broker that
 * is down never breaks queuing: the nudge is skipped and the device finds the command on its next poll.
 */
export class CommandPushTask implements BackgroundTask {
  readonly name = "command-push";
  private client: MqttClient | undefined;
  private unsubscribe: (() => void) | undefined;
  private ctx: Context | undefined;
  private outageLogged = false;
  /** Counters, for tests and /metrics. */
  readonly stats = { published: 0, skipped: 0, failed: 0 };

  constructor(
    private readonly url: string,
    /** Broker login (MQTT_USERNAME / MQTT_PASSWORD); user info in the URL works too. */
    private readonly auth: { username?: string; password?: string } = {},
  ) {}

  start(app: FastifyInstance): void {
    this.ctx = taskContext(app, this.name);
    const log = this.ctx.logger;
    this.client = mqtt.connect(this.url, {
      clientId: `homepot-server-${process.pid}-${Math.random().toString(16).slice(2, 10)}`,
      connectTimeout: 5_000,
      reconnectPeriod: 5_000,
      // Nudges are only useful now; never pile them up while the broker is away.
      queueQoSZero: false,
      clean: true,
      ...(this.auth.username ? { username: this.auth.username } : {}),
      ...(this.auth.password ? { password: this.auth.password } : {}),
    });
    this.client.on("connect", () => {
      this.outageLogged = false;
      log.info({ broker: redactUrl(this.url) }, "MQTT push connected");
    });
    this.client.on("error", (err) => this.reportOutage(err));
    this.client.on("offline", () => this.reportOutage(new Error("MQTT broker unreachable")));
    this.unsubscribe = commandBus.on("queued", (event) => this.nudge(event));
  }

  /** Publishes one nudge; resolves when the broker acknowledged it (or it was skipped). */
  nudge(event: CommandQueuedEvent): Promise<void> {
    const client = this.client;
    if (!client?.connected) {
      this.stats.skipped += 1;
      return Promise.resolve();
    }
    const message: CommandNudge = {
      type: "commands_pending",
      message_id: event.commandId,
      device_id: event.deviceId,
      sent_at: new Date().toISOString(),
    };
    const publish = (topic: string) =>
      new Promise<void>((resolve) => {
        client.publish(topic, JSON.stringify(message), { qos: 1 }, (err) => {
          if (err) {
            this.stats.failed += 1;
            this.ctx?.logger.warn(
              { err, deviceId: event.deviceId, topic },
              "MQTT nudge failed; the device will find the command by polling",
            );
          } else {
            this.stats.published += 1;
          }
          resolve();
        });
      });
    return Promise.all([
      publish(commandNudgeTopic(event.deviceId)),
      publish(legacyCommandNudgeTopic(event.deviceId)),
    ]).then(() => undefined);
  }

  private reportOutage(err: Error): void {
    if (this.outageLogged || !this.ctx) return;
    this.outageLogged = true;
    const ctx = this.ctx;
    ctx.logger.warn(
      { err: err.message, broker: redactUrl(this.url) },
      "MQTT push unavailable; devices fall back to polling",
    );
    void logError(ctx, {
      category: "external_service",
      severity: "warning",
      errorCode: ErrorCodes.pushFailed,
      message: `MQTT broker unreachable (${redactUrl(this.url)}): ${err.message}; command push falls back to polling`,
      error: err,
      context: { broker: redactUrl(this.url) },
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync(true).catch(() => {});
  }
}

/** The broker URL without user info, for logs. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return "mqtt://(invalid)";
  }
}
