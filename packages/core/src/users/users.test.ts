import { auditLogs, users } from "@homepot/db";
import { createTestDatabase, type TestDatabase } from "@homepot/db/testing";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Context, silentLogger, systemActor, systemClock } from "../context.ts";
import { ConflictError, RateLimitedError } from "../errors.ts";
import { authenticateUser } from "./authenticate-user.ts";
import { createUser } from "./create-user.ts";
import { ensureAdmin } from "./ensure-admin.ts";
import { verifyPassword } from "./password.ts";

let database: TestDatabase;
let ctx: Context;
beforeAll(async () => {
  database = await createTestDatabase();
  ctx = { db: database.db, actor: systemActor, clock: systemClock, logger: silentLogger };
});
afterAll(async () => database.close());

const audits = (types: string[]) => database.db.select().from(auditLogs).where(inArray(auditLogs.eventType, types));

describe("bootstrap admin (HOMEPOT_ADMIN_EMAIL/PASSWORD)", () => {
  it("never promotes an account someone signed up with that address under another password", async () => {
    const squatter = await createUser(ctx, { email: "boss@example.com", password: "attacker-chosen-pw" });
    const refused = ensureAdmin(ctx, "Boss@example.com", "operator-secret-pw");
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toThrow(/HOMEPOT_RESET_ADMIN_PASSWORD=on/);
    const [row] = await database.db.select().from(users).where(eq(users.id, squatter.id));
    expect(row?.role).toBe("viewer");
    await expect(authenticateUser(ctx, "boss@example.com", "attacker-chosen-pw")).resolves.toMatchObject({
      role: "viewer",
    });
    expect((await audits(["admin_bootstrap_refused"])).length).toBe(1);
  });

  it("with the reset asked for: sets the operator's password, makes it admin, ends the old sessions; audited", async () => {
    const before = await database.db.select().from(users).where(eq(users.email, "boss@example.com"));
    const result = await ensureAdmin(ctx, "boss@example.com", "operator-secret-pw", { resetPassword: true });
    expect(result.outcome).toBe("password_reset");
    expect(result.user).toMatchObject({ role: "admin", isAdmin: true });
    expect(result.user.tokenVersion).toBe((before[0]?.tokenVersion ?? 0) + 1);
    expect(await verifyPassword("attacker-chosen-pw", result.user.hashedPassword)).toBe(false);
    expect(await verifyPassword("operator-secret-pw", result.user.hashedPassword)).toBe(true);
    expect((await audits(["admin_password_reset"])).length).toBe(1);
    expect((await ensureAdmin(ctx, "boss@example.com", "operator-secret-pw")).outcome).toBe("unchanged");
  });

  it("promotes an existing account whose password matches, and audits the promotion", async () => {
    await createUser(ctx, { email: "ops-lead@example.com", password: "lead-password-1", role: "operator" });
    const result = await ensureAdmin(ctx, "ops-lead@example.com", "lead-password-1");
    expect(result).toMatchObject({ created: false, outcome: "promoted", user: { role: "admin" } });
    const [promoted] = await audits(["user_promoted"]);
    expect(promoted?.oldValues).toEqual({ role: "operator" });
  });

  it("creates a missing admin, and refuses a common password with the variable's name", async () => {
    expect((await ensureAdmin(ctx, "fresh@example.com", "fresh-admin-pw")).outcome).toBe("created");
    await expect(ensureAdmin(ctx, "weak@example.com", "password1")).rejects.toThrow(
      /^HOMEPOT_ADMIN_PASSWORD: .*common/,
    );
  });
});

describe("password hashing off the event loop", () => {
  it("keeps verifying existing hashes ($2a$ and $2b$, any cost)", async () => {
    // Hashes made before this change, by bcryptjs on the event loop.
    const legacy = "$2a$04$hs/xMF/BPZDqYaw2tf9mGej2QvmOh2bbTTB30l/VdVtp02GexKkhe";
    const current = "$2b$04$xneCcJSJ3ZLmnDnRZJkmLeNw/NCF1ZXuHQAWy8imcqY6IZVtZYnX.";
    expect(await verifyPassword("correct-horse", legacy)).toBe(true);
    expect(await verifyPassword("wrong-horse", legacy)).toBe(false);
    expect(await verifyPassword("correct-horse", current)).toBe(true);
  });

  it("bounds the work: a flood beyond the queue is refused at once (429), the rest are answered", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () =>
        verifyPassword("x", "$2b$04$xneCcJSJ3ZLmnDnRZJkmLeNw/NCF1ZXuHQAWy8imcqY6IZVtZYnX."),
      ),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.status === "rejected" && r.reason instanceof RateLimitedError)).toBe(true);
    expect(results.filter((r) => r.status === "fulfilled" && r.value === false).length).toBeGreaterThanOrEqual(64);
  });
});
