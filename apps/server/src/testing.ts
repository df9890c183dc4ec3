import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Clock,
  type Config,
  type Context,
  createUser,
  loadConfig,
  type Role,
  silentLogger,
  systemActor,
  systemClock,
} from "@homepot/core";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import type { FastifyInstance, InjectOptions } from "fastify";
import { expect } from "vitest";
import { type BuildOptions, buildApp } from "./app.ts";

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  /** A system context on the test database, for factories and direct assertions. */
  ctx: Context;
  close(): Promise<void>;
}

/** A config for tests: its own temp data dir, no simulator, quiet logs; `env` overrides. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    HOMEPOT_DATA_DIR: mkdtempSync(join(tmpdir(), "homepot-test-")),
    HOMEPOT_SIMULATOR: "off",
    HOMEPOT_LOG_LEVEL: "silent",
    JWT_SECRET: "test-secret-test-secret-test-secret-0123",
    PORT: "0",
    HOMEPOT_PG_PORT: "0",
    // Every insight computed afresh: a test that changes data and asks again must see the change, however slow.
    HOMEPOT_INSIGHTS_REUSE_S: "0",
    // In the test's own process (insights-process/ tests the helper process), so each test app forks nothing.
    HOMEPOT_INSIGHTS_PROCESS: "off",
    ...env,
  });
}

/** The whole app on a fresh database of the driver under test (PGlite or PostgreSQL). */
export async function createTestApp(
  options: BuildOptions & { env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig(options.env);
  const app = await buildApp(
    { config, database, clock: options.clock },
    { logger: false, dashboard: false, ...options },
  );
  await app.ready();
  const ctx: Context = {
    db: database.db,
    actor: systemActor,
    clock: options.clock ?? systemClock,
    logger: silentLogger,
  };
  return {
    app,
    database,
    config,
    ctx,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

let userSeq = 0;
/** Creates a user of `role` and returns its bearer token and headers. */
/**
 * Signs a new user of `role` in; `remoteAddress` lets a test log in from a client whose login budget is not spent;
 * `tenantId` makes them a member of that tenant (an admin then is that tenant's admin, not a platform admin).
 */
export async function loginAs(
  t: TestApp,
  role: Role,
  password = "correct-horse-battery",
  options: { remoteAddress?: string; tenantId?: number } = {},
) {
  userSeq += 1;
  const email = `${role}${userSeq}-${process.pid}@example.com`;
  const username = `${role}_${userSeq}_${process.pid}`;
  const user = await createUser(t.ctx, { email, password, username, role, tenantId: options.tenantId });
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password },
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
  expect(res.statusCode).toBe(200);
  const token = res.json().data.access_token as string;
  return { user, token, email, password, headers: { authorization: `Bearer ${token}` } };
}

/**
 * The shared security cases of a protected route: 401 without or with a bad token, 403 below `role`.
 * Call it from each feature's security tests.
 */
export async function expectRequiresRole(t: TestApp, request: InjectOptions, role: Role): Promise<void> {
  const anonymous = await t.app.inject(request);
  expect(anonymous.statusCode, `${request.method} ${request.url} without token`).toBe(401);
  const tampered = await t.app.inject({
    ...request,
    headers: { ...request.headers, authorization: "Bearer not.a.jwt" },
  });
  expect(tampered.statusCode, `${request.method} ${request.url} with a bad token`).toBe(401);
  const below: Role | undefined = role === "admin" ? "operator" : role === "operator" ? "viewer" : undefined;
  if (below) {
    const { headers } = await loginAs(t, below);
    const res = await t.app.inject({ ...request, headers: { ...request.headers, ...headers } });
    expect(res.statusCode, `${request.method} ${request.url} as ${below}`).toBe(403);
  }
}
