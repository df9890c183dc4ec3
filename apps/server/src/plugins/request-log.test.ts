import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import { type Context, silentLogger, systemActor, systemClock } from "@homepot/core";
import { apiRequestLogs, errorLogs } from "@homepot/db";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { desc, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { loginAs, type TestApp, testConfig } from "../testing.ts";

/**
 * The app with two extra routes: one a device calls (the actor is set the way device auth sets it) and
 * one that fails unexpectedly; and a dashboard build, to check static files are not logged.
 */
async function appWithProbes(database: TestDatabase, intervalMs: number): Promise<FastifyInstance> {
  const app = await buildApp(
    { config: testConfig(), database },
    { logger: false, dashboard: false, requestLogIntervalMs: intervalMs },
  );
  app.get(
    "/api/v1/probe/device",
    {
      onRequest: async (request) => {
        request.actor = { kind: "device", deviceId: "pos-terminal-042" };
      },
    },
    async () => ({ ok: true }),
  );
  app.get("/api/v1/probe/boom", async () => {
    throw new Error("probe exploded with password=hunter2");
  });
  const web = mkdtempSync(join(tmpdir(), "homepot-web-"));
  mkdirSync(join(web, "assets"));
  writeFileSync(join(web, "index.html"), "<!doctype html><title>HOMEPOT</title>");
  writeFileSync(join(web, "assets", "app.js"), "console.log('hi')");
  await app.register(fastifyStatic, { root: web, prefix: "/", wildcard: false, index: ["index.html"] });
  await app.ready();
  return app;
}

let database: TestDatabase;
let app: FastifyInstance;
let t: TestApp;
let ctx: Context;
beforeAll(async () => {
  database = await createTestDatabase();
  app = await appWithProbes(database, 60_000);
  ctx = { db: database.db, actor: systemActor, clock: systemClock, logger: silentLogger };
  t = { app, database, config: testConfig(), ctx, close: async () => {} };
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const rows = async () => {
  await app.requestLogs.flush();
  return database.db.select().from(apiRequestLogs).orderBy(desc(apiRequestLogs.id));
};

describe("request logging (api_request_logs)", () => {
  it("attributes a request to the JWT user, with timing, sizes, ip, user agent and both paths", async () => {
    const admin = await loginAs(t, "admin");
    const res = await app.inject({
      method: "GET",
      url: "/api/v1/auth/me?verbose=1",
      headers: { ...admin.headers, "user-agent": "probe-agent/1.0" },
    });
    expect(res.statusCode).toBe(200);
    const [row] = (await rows()).filter((r) => r.endpoint === "/api/v1/auth/me");
    expect(row).toMatchObject({
      endpoint: "/api/v1/auth/me",
      route: "/api/v1/auth/me",
      method: "GET",
      statusCode: 200,
      userId: String(admin.user.id),
      deviceId: null,
      userAgent: "probe-agent/1.0",
      errorMessage: null,
    });
    expect(row?.ipAddress).toBeTruthy();
    expect(row?.responseTimeMs).toBeGreaterThan(0);
    expect(row?.responseSizeBytes).toBe(Buffer.byteLength(res.body));
    // The login itself is attributed to the user who signed in, with its body size.
    const [login] = (await rows()).filter((r) => r.endpoint === "/api/v1/auth/login");
    expect(login?.userId).toBe(String(admin.user.id));
    expect(login?.requestSizeBytes).toBeGreaterThan(20);
  });

  it("attributes a device's request to the device id, never to a placeholder user", async () => {
    await app.inject({ method: "GET", url: "/api/v1/probe/device" });
    const [row] = (await rows()).filter((r) => r.endpoint === "/api/v1/probe/device");
    expect(row).toMatchObject({
      deviceId: "pos-terminal-042",
      userId: null,
      route: "/api/v1/probe/device",
      statusCode: 200,
    });
  });

  it("does not log /health, /ready, /metrics, /docs or static files", async () => {
    const before = (await rows()).length;
    for (const url of [
      "/health",
      "/ready",
      "/metrics",
      "/docs",
      "/docs/json",
      "/api/v1/health",
      "/api/v1/health/health",
      "/",
      "/assets/app.js",
    ]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBeLessThan(400);
    }
    expect((await rows()).length).toBe(before);
  });

  it("records the error message of 4xx and 5xx answers", async () => {
    await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "nobody@example.com", password: "wrong-password" },
    });
    await app.inject({ method: "GET", url: "/api/v1/nothing-here" });
    await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: 5 } });
    const boom = await app.inject({ method: "GET", url: "/api/v1/probe/boom" });
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toEqual({ detail: "Internal server error" });
    const all = await rows();
    const byEndpoint = (e: string, status: number) => all.find((r) => r.endpoint === e && r.statusCode === status);
    expect(byEndpoint("/api/v1/auth/login", 401)?.errorMessage).toBe("Invalid email or password");
    expect(byEndpoint("/api/v1/auth/login", 401)?.userId).toBeNull();
    expect(byEndpoint("/api/v1/auth/login", 422)?.errorMessage).toMatch(/email/);
    expect(byEndpoint("/api/v1/nothing-here", 404)?.errorMessage).toMatch(/Not found/);
    expect(byEndpoint("/api/v1/nothing-here", 404)?.route).toBeNull();
    expect(byEndpoint("/api/v1/probe/boom", 500)?.errorMessage).toBe("Internal server error");
  });

  it("writes off the request path in batches, and flushes what is buffered on app.close()", async () => {
    const db2 = await createTestDatabase();
    const app2 = await appWithProbes(db2, 60_000);
    try {
      for (let i = 0; i < 25; i++) await app2.inject({ method: "GET", url: `/api/v1/probe/device?i=${i}` });
      expect(app2.requestLogs.pending).toBe(25);
      expect(await db2.db.$count(apiRequestLogs)).toBe(0);
      await app2.close();
      expect(await db2.db.$count(apiRequestLogs)).toBe(25);
      expect(app2.requestLogs.pending).toBe(0);
    } finally {
      await app2.close();
      await db2.close();
    }
  });
});

describe("global error handler and the error logger", () => {
  it("stores an unexpected failure in error_logs with its stack, a standard code and no secret", async () => {
    const admin = await loginAs(t, "admin");
    await app.inject({ method: "GET", url: "/api/v1/probe/boom", headers: admin.headers });
    const [row] = await database.db
      .select()
      .from(errorLogs)
      .where(eq(errorLogs.userId, String(admin.user.id)))
      .orderBy(desc(errorLogs.id))
      .limit(1);
    expect(row).toMatchObject({
      category: "api",
      severity: "error",
      errorCode: "API_INTERNAL_001",
      endpoint: "/api/v1/probe/boom",
      resolved: false,
    });
    expect(row?.stackTrace).toMatch(/probe exploded[\s\S]*at /);
    expect(row?.context).toMatchObject({ method: "GET", route: "/api/v1/probe/boom", exception_type: "Error" });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(admin.token);
  });
});

describe("/metrics", () => {
  it("has request counts and latency by route, the database pool, the request-log buffer and event-loop lag", async () => {
    const admin = await loginAs(t, "admin");
    await app.inject({ method: "GET", url: "/api/v1/auth/me", headers: admin.headers });
    await app.inject({ method: "GET", url: "/api/v1/no-such-thing-123" });
    const res = await app.inject({ method: "GET", url: "/metrics" });
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toMatch(
      /^homepot_http_requests_total\{method="GET",route="\/api\/v1\/auth\/me",status="200"\} [1-9]\d*$/m,
    );
    expect(body).toMatch(
      /^homepot_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/v1\/auth\/me"\} \d+$/m,
    );
    expect(body).toMatch(
      /^homepot_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/auth\/me"\} [1-9]\d*$/m,
    );
    // An unknown path is counted under one label, so random URLs cannot explode the series count.
    expect(body).toMatch(/route="unmatched",status="404"/);
    expect(body).not.toContain("no-such-thing-123");
    expect(body).toMatch(/^homepot_db_pool_connections\{state="total"\} [1-9]\d*$/m);
    expect(body).toMatch(new RegExp(`^homepot_db_info\\{driver="${database.driver}"\\} 1$`, "m"));
    expect(body).toMatch(/^homepot_request_log_pending \d+$/m);
    expect(body).toMatch(/^homepot_nodejs_eventloop_lag_seconds \d/m);
    expect(body).toMatch(/^homepot_nodejs_eventloop_lag_p99_seconds \d/m);
  });
});
