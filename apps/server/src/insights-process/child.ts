// The helper process of runner.ts: opens the server's PostgreSQL database (and replica) and runs the whole-fleet
// insights it is asked for, one message each, answering on the same channel.
import { type Clock, type Context, silentLogger, systemClock } from "@homepot/core";
import { type Database, openDatabase } from "@homepot/db";
import { type InsightReply, type InsightRequest, runInsight } from "./ops.ts";

/** Connections of the helper: a few computations at a time, each loading its next chunk while scoring this one. */
const POOL = 4;

const primaryUrl = process.env.HOMEPOT_INSIGHTS_DB_URL;
const replicaUrl = process.env.HOMEPOT_INSIGHTS_READ_URL;
if (!primaryUrl || !process.send) throw new Error("insights-process/child.ts runs as runner.ts's helper process");
const primary = await openDatabase({ databaseUrl: primaryUrl, poolSize: POOL });
let replica: Database | undefined;

const send = (reply: InsightReply) => process.send?.(reply);

async function handle(request: InsightRequest): Promise<void> {
  try {
    if (request.replica && replicaUrl) replica ??= await openDatabase({ databaseUrl: replicaUrl, poolSize: POOL });
    const now = request.now;
    const clock: Clock = now ? { now: () => new Date(now) } : systemClock;
    const ctx: Context = {
      db: primary.db,
      reads: request.replica && replica ? replica.db : primary.db,
      actor: request.actor,
      clock,
      logger: silentLogger,
      ...(request.permission ? { permission: request.permission } : {}),
    };
    send({ id: request.id, ok: true, value: await runInsight(request.op, ctx, request.input) });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const field = (e as { field?: unknown }).field;
    send({
      id: request.id,
      ok: false,
      error: { name: e.name, message: e.message, ...(typeof field === "string" ? { field } : {}) },
    });
  }
}

process.on("message", (message) => void handle(message as InsightRequest));
// The server went away: nothing is left to answer.
process.on("disconnect", () => {
  void Promise.all([primary.close(), replica?.close()]).finally(() => process.exit(0));
});
send({ id: 0, ok: true, value: "ready" });
