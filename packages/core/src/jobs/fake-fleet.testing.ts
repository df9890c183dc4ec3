import { type Db, deviceCommands, devices, healthChecks, sites } from "@homepot/db";
import { eq, inArray } from "drizzle-orm";
import { reportCommandResult } from "../commands/report-command-result.ts";
import { type Context, silentLogger, systemClock } from "../context.ts";

/** Test factories and a stand-in for device agents that answers device_commands rows directly. */
export async function makeSite(db: Db, siteId: string, extra: Partial<typeof sites.$inferInsert> = {}) {
  const [row] = await db
    .insert(sites)
    .values({ siteId, name: `Site ${siteId}`, ...extra })
    .returning();
  if (!row) throw new Error("no site");
  return row;
}

export async function makeDevices(
  db: Db,
  siteId: string,
  count: number,
  prefix = siteId,
  extra: Partial<typeof devices.$inferInsert> = {},
) {
  const values = Array.from({ length: count }, (_, i) => ({
    deviceId: `${prefix}-pos-${String(i + 1).padStart(2, "0")}`,
    name: `POS ${i + 1}`,
    deviceType: "pos_terminal",
    status: "online",
    siteId,
    configVersion: "1.0.0",
    config: { config_version: "1.0.0", receipt_footer: "thanks" },
    isSimulated: true,
    ...extra,
  }));
  return db.insert(devices).values(values).returning();
}

export async function addHealthCheck(
  db: Db,
  deviceKey: string,
  at: Date,
  healthy: boolean,
  responseTimeMs: number,
  errorRate = 0.5,
) {
  const [d] = await db.select({ id: devices.id }).from(devices).where(eq(devices.deviceId, deviceKey));
  if (!d) throw new Error(`no device ${deviceKey}`);
  await db.insert(healthChecks).values({
    deviceId: d.id,
    isHealthy: healthy,
    responseTimeMs,
    statusCode: healthy ? 200 : 503,
    endpoint: "/health",
    responseData: { status: healthy ? "healthy" : "unhealthy", metrics: { error_rate: errorRate } },
    timestamp: at,
  });
}

export type Answer = "succeeded" | "failed" | "ignore";
export type Behaviour = (cmd: {
  deviceId: string;
  commandType: string;
  payload: Record<string, unknown>;
  commandId: string;
}) => Answer | Promise<Answer>;

/** Polls pending commands every `everyMs` and answers them as `behaviour` says (ignore = stay silent). */
export function startResponder(db: Db, behaviour: Behaviour, everyMs = 15) {
  let stopped = false;
  const seen = new Set<string>();
  let busy: Promise<void> = Promise.resolve();
  const step = async () => {
    const pending = await db
      .select()
      .from(deviceCommands)
      .where(inArray(deviceCommands.status, ["pending", "sent"]));
    for (const c of pending) {
      if (seen.has(c.commandId)) continue;
      const payload = (c.payload ?? {}) as Record<string, unknown>;
      const answer = await behaviour({
        deviceId: c.deviceId,
        commandType: c.commandType,
        payload,
        commandId: c.commandId,
      });
      if (answer === "ignore") continue;
      seen.add(c.commandId);
      // The device's own report, through the same use case the HTTP route calls (emits the bus event).
      const ctx: Context = {
        db,
        actor: { kind: "device", deviceId: c.deviceId },
        clock: systemClock,
        logger: silentLogger,
      };
      await reportCommandResult(ctx, c.deviceId, c.commandId, {
        status: answer,
        result: answer === "succeeded" ? { ok: true } : null,
        error_message: answer === "failed" ? "Config download timed out" : null,
      }).catch(() => {});
    }
  };
  const timer = setInterval(() => {
    if (stopped) return;
    busy = busy.then(step).catch(() => {});
  }, everyMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await busy;
    },
  };
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined | false | null>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
