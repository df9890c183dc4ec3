import { commandNudgeTopic } from "@homepot/contracts/commands";
import mqtt, { type MqttClient } from "mqtt";
import type { Logger } from "./logger.ts";

/**
 * Listens for the server's "commands pending" nudge on the device's topic and calls `onNudge`, so a
 * command runs within moments instead of at the next poll. Polling continues regardless: a broker
 * outage only slows commands down. A nudge is only a hint to poll: its content is never trusted.
 */
export class NudgeListener {
  private client: MqttClient | undefined;
  private warned = false;
  private settle: ((granted: boolean) => void) | undefined;
  /** Resolves with whether the broker granted the subscription, after the first attempt. */
  readonly subscribed = new Promise<boolean>((resolve) => {
    this.settle = resolve;
  });

  constructor(
    private readonly url: string,
    private readonly deviceId: string,
    private readonly log: Logger,
    private readonly onNudge: (messageId: string | undefined) => void,
    private readonly auth: { username?: string; password?: string } = {},
  ) {}

  start(): void {
    const topic = commandNudgeTopic(this.deviceId);
    // With broker authentication the per-device ACL expects the device id as the username.
    const username = this.auth.username ?? (this.auth.password ? this.deviceId : undefined);
    this.client = mqtt.connect(this.url, {
      clientId: `homepot-agent-${this.deviceId}-${process.pid}`.slice(0, 64),
      reconnectPeriod: 5_000,
      connectTimeout: 5_000,
      clean: true,
      ...(username ? { username } : {}),
      ...(this.auth.password ? { password: this.auth.password } : {}),
    });
    this.client.on("connect", () => {
      this.warned = false;
      this.client?.subscribe(topic, { qos: 1 }, (err, granted) => {
        const refused = Boolean(err) || Boolean(granted?.some((g) => g.qos === 128));
        if (err) this.log.warn({ err: err.message, topic }, "MQTT subscribe failed");
        else if (refused)
          this.log.warn({ topic, username }, "the MQTT broker refused the subscription (check its ACL); polling only");
        else this.log.info({ topic }, "listening for command nudges");
        this.settle?.(!refused);
      });
    });
    this.client.on("message", (_topic, message) => {
      let messageId: string | undefined;
      try {
        if (message.length > 1024) throw new Error("not a nudge");
        const body = JSON.parse(message.toString()) as { message_id?: unknown };
        if (typeof body.message_id === "string") messageId = body.message_id;
      } catch {
        // Any message on the topic is a reason to poll.
      }
      this.onNudge(messageId);
    });
    const warn = (why: string) => {
      if (this.warned) return;
      this.warned = true;
      this.log.warn({ why }, "MQTT broker unavailable; commands arrive by polling");
    };
    this.client.on("error", (err) => warn(err.message));
    this.client.on("offline", () => warn("offline"));
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync(true).catch(() => {});
  }
}
