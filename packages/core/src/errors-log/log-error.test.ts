import { errorLogs } from "@homepot/db";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Context, silentLogger, systemActor, systemClock } from "../context.ts";
import { ErrorCodes, logError } from "./log-error.ts";

let database: TestDatabase;
let ctx: Context;
beforeAll(async () => {
  database = await createTestDatabase();
  ctx = { db: database.db, actor: systemActor, clock: systemClock, logger: silentLogger };
});
afterAll(async () => database.close());

const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
const DEVICE_KEY = "hpk_Abcdefghijklmnopqrstuvwxyz0123456789";

describe("logError (the central error logger)", () => {
  it("stores the stack trace, a standard code and who/where, with every secret redacted", async () => {
    const cause = new TypeError(`gateway said no to Bearer ${JWT}`);
    const id = await logError(ctx, {
      category: "external_service",
      severity: "error",
      errorCode: ErrorCodes.pushFailed,
      message: `push to pos-terminal-001 failed with key ${DEVICE_KEY}`,
      error: cause,
      endpoint: "/api/v1/devices/pos-terminal-001/commands",
      userId: "7",
      deviceId: "pos-terminal-001",
      context: {
        attempt: 3,
        password: "hunter2hunter2",
        headers: { authorization: `Bearer ${JWT}`, "x-api-key": DEVICE_KEY, accept: "application/json" },
        nested: [{ api_key: DEVICE_KEY, note: `token ${JWT} leaked` }],
        client_secret: "s3cr3t",
      },
    });
    expect(id).toBeTypeOf("number");
    const [row] = await database.db.select().from(errorLogs).where(eq(errorLogs.id, id!));
    expect(row).toMatchObject({
      category: "external_service",
      severity: "error",
      errorCode: "PUSH_FAIL_001",
      endpoint: "/api/v1/devices/pos-terminal-001/commands",
      userId: "7",
      deviceId: "pos-terminal-001",
      resolved: false,
      resolvedAt: null,
    });
    expect(row?.stackTrace).toMatch(/^TypeError: gateway said no[\s\S]*\n\s+at /);
    expect(row?.context).toMatchObject({
      attempt: 3,
      password: "[redacted]",
      client_secret: "[redacted]",
      headers: { authorization: "[redacted]", "x-api-key": "[redacted]", accept: "application/json" },
      nested: [{ api_key: "[redacted]" }],
      exception_type: "TypeError",
    });
    const stored = JSON.stringify(row);
    for (const secret of [JWT, DEVICE_KEY, "hunter2hunter2", "s3cr3t"]) expect(stored).not.toContain(secret);
  });

  it("uses the caller's stack when given (browser errors) and truncates huge messages", async () => {
    const id = await logError(ctx, {
      category: "frontend",
      severity: "warning",
      errorCode: ErrorCodes.frontend,
      message: "x".repeat(50_000),
      stackTrace: "ReferenceError: foo is not defined\n    at App (app.js:1:1)",
    });
    const [row] = await database.db.select().from(errorLogs).where(eq(errorLogs.id, id!));
    expect(row?.stackTrace).toContain("at App (app.js:1:1)");
    expect(row?.errorMessage.length).toBe(10_000);
  });

  it("never throws: a failure to store is reported to the logger and answers undefined", async () => {
    const gone = await createTestDatabase();
    await gone.close();
    const logger = { ...silentLogger, error: vi.fn() };
    const id = await logError(
      { ...ctx, db: gone.db, logger },
      { category: "database", severity: "critical", errorCode: ErrorCodes.dbConnection, message: "db down" },
    );
    expect(id).toBeUndefined();
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it("has the standard codes of the seeds", () => {
    expect(ErrorCodes.dbConnection).toBe("DB_CONN_001");
    expect(Object.values(ErrorCodes).every((c) => /^[A-Z]+(_[A-Z]+)*_\d{3}$/.test(c))).toBe(true);
  });
});
