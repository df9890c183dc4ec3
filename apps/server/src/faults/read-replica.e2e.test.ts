import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Context, systemActor } from "@homepot/core";
import { type Database, deviceMetrics, migrateDatabase, openDatabase } from "@homepot/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { loginAs, type TestApp, testConfig } from "../testing.ts";
import { freePort } from "../testing-process.ts";

/**
 * DATABASE_READ_URL against a real streaming replica: the test starts its own PostgreSQL 15 primary (initdb) and a
 * replica made with pg_basebackup on another port, then checks that analytics lists read the replica (they miss a
 * row the paused replica has not replayed), fall back to the primary when it lags beyond HOMEPOT_READ_MAX_LAG_S or
 * is down, come back when it has caught up, and that /metrics says which.
 * (The shared test server on :5432 refuses replication connections, so it cannot be the primary here.)
 */
const BIN = process.env.HOMEPOT_PG_BIN ?? "/usr/lib/postgresql/15/bin";
const available = existsSync(join(BIN, "pg_basebackup"));
// PostgreSQL refuses to run as root: then its processes run as the postgres user.
const asRoot = process.getuid?.() === 0;
const exec = promisify(execFile);
const pgTool = (tool: string, args: string[]) =>
  asRoot ? exec("runuser", ["-u", "postgres", "--", join(BIN, tool), ...args]) : exec(join(BIN, tool), args);

let dir = "";
const ports = { primary: 0, replica: 0 };
const started: string[] = [];
let primary: Database;
let replica: Database;
let t: TestApp;
let admin: Record<string, string>;
let clockOffsetMs = 0;
const clock = { now: () => new Date(Date.now() + clockOffsetMs) };

async function startCluster(name: "primary" | "replica", port: number): Promise<void> {
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  await pgTool("pg_ctl", ["-D", join(dir, name), "-o", options, "-w", "-l", join(dir, `${name}.log`), "start"]);
  started.push(name);
}
const urlOf = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;

describe.skipIf(!available && !process.env.CI)("read replica", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "homepot-replica-"));
    if (asRoot) {
      const { stdout } = await exec("id", ["-u", "postgres"]);
      const { stdout: gid } = await exec("id", ["-g", "postgres"]);
      chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    ports.primary = await freePort();
    ports.replica = await freePort();
    await pgTool("initdb", ["-D", join(dir, "primary"), "-U", "postgres", "--auth=trust", "-N"]);
    await startCluster("primary", ports.primary);
    await pgTool("pg_basebackup", [
      ...["-h", "127.0.0.1", "-p", String(ports.primary), "-U", "postgres"],
      ...["-D", join(dir, "replica"), "-R", "-X", "stream", "--checkpoint=fast"],
    ]);
    await startCluster("replica", ports.replica);

    primary = await openDatabase({ databaseUrl: urlOf(ports.primary), poolSize: 3 });
    await migrateDatabase(primary);
    replica = await openDatabase({ databaseUrl: urlOf(ports.replica), poolSize: 2 });
    const config = testConfig({ DATABASE_URL: urlOf(ports.primary), HOMEPOT_READ_MAX_LAG_S: "60" });
    const app = await buildApp(
      { config, database: primary, readDatabase: replica, clock },
      { logger: false, dashboard: false },
    );
    await app.ready();
    const ctx: Context = { db: primary.db, actor: systemActor, clock, logger: app.log };
    t = { app, database: primary, config, ctx, close: async () => {} };
    admin = (await loginAs(t, "admin")).headers;
  }, 180_000);

  afterAll(async () => {
    await t?.app.close();
    await replica?.close();
    await primary?.close();
    for (const name of started.reverse())
      await pgTool("pg_ctl", ["-D", join(dir, name), "-m", "immediate", "stop"]).catch(() => {});
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const metric = (cpu: number) => t.ctx.db.insert(deviceMetrics).values({ deviceId: "rep-dev", cpuPercent: cpu });
  const listed = async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/v1/analytics/device-metrics?device_id=rep-dev",
      headers: admin,
    });
    expect(res.statusCode).toBe(200);
    return res.json().count as number;
  };
  const metricsText = async () => (await t.app.inject({ method: "GET", url: "/metrics" })).body;
  /** Checks until the replica has replayed everything the primary wrote (a bounded wait, not a fixed sleep). */
  async function caughtUp(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const s = await t.app.reads.check();
      if (s.state === "ok" && s.lagS === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`replica did not catch up: ${JSON.stringify(t.app.reads.status)}`);
  }

  it("starts on the primary until the first check finds the replica streaming", async () => {
    expect(t.app.reads.status.state).toBe("down");
    const standby = await replica.db.execute(sql`select pg_is_in_recovery() as r`);
    expect((standby as unknown as { rows: { r: boolean }[] }).rows[0]?.r).toBe(true);
    await metric(10);
    await caughtUp();
    expect(await listed()).toBe(1);
    expect(await metricsText()).toMatch(/homepot_read_replica_in_use\{state="ok"\} 1/);
    expect(await metricsText()).toMatch(/homepot_read_replica_lag_seconds 0\n/);
  });

  it("reads go to the replica: a row it has not replayed yet is not listed", async () => {
    await replica.db.execute(sql`select pg_wal_replay_pause()`);
    await metric(20);
    expect(await t.ctx.db.$count(deviceMetrics)).toBe(2);
    const s = await t.app.reads.check();
    expect(s.state).toBe("ok"); // behind, but less than HOMEPOT_READ_MAX_LAG_S
    expect(s.lagS).toBeGreaterThan(0);
    expect(await listed()).toBe(1);
  });

  it("falls back to the primary when the replica lags beyond HOMEPOT_READ_MAX_LAG_S, and says so on /metrics", async () => {
    clockOffsetMs = 120_000;
    const s = await t.app.reads.check();
    expect(s.state).toBe("lagging");
    expect(s.lagS).toBeGreaterThanOrEqual(120);
    expect(await listed()).toBe(2);
    const text = await metricsText();
    expect(text).toMatch(/homepot_read_replica_in_use\{state="lagging"\} 0/);
    expect(text).toMatch(/homepot_read_replica_fallbacks 1\n/);
    const lag = Number(/^homepot_read_replica_lag_seconds (\S+)$/m.exec(text)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(120);
  });

  it("returns to the replica once it has caught up", async () => {
    await replica.db.execute(sql`select pg_wal_replay_resume()`);
    await caughtUp();
    await replica.db.execute(sql`select pg_wal_replay_pause()`);
    await metric(30); // not on the paused replica: listed only while reads use the primary
    expect((await t.app.reads.check()).state).toBe("ok");
    expect(await listed()).toBe(2);
    await replica.db.execute(sql`select pg_wal_replay_resume()`);
  });

  it("falls back to the primary when the replica is down", async () => {
    await pgTool("pg_ctl", ["-D", join(dir, "replica"), "-m", "immediate", "stop"]);
    started.splice(started.indexOf("replica"), 1);
    const s = await t.app.reads.check();
    expect(s.state).toBe("down");
    expect(await listed()).toBe(3);
    const text = await metricsText();
    expect(text).toMatch(/homepot_read_replica_in_use\{state="down"\} 0/);
    expect(text).toMatch(/homepot_read_replica_fallbacks 2\n/);
    expect(text).toMatch(/homepot_read_replica_lag_seconds -1\n/);
  });
});
