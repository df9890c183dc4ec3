import { authenticateUser, silentLogger, systemActor, systemClock } from "@homepot/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCliDatabase } from "../lib/database.ts";
import { runCli, useCliDatabase } from "../testing.ts";

const TABLES = [
  "sites",
  "devices",
  "users",
  "jobs",
  "health_checks",
  "audit_logs",
  "api_request_logs",
  "user_activities",
  "device_state_history",
  "job_outcomes",
  "error_logs",
  "device_metrics",
  "configuration_history",
  "site_operating_schedules",
];

let env: Awaited<ReturnType<typeof useCliDatabase>>;
beforeAll(async () => {
  env = await useCliDatabase();
});
afterAll(async () => env.cleanup());

async function json<T = unknown>(argv: string[]): Promise<T> {
  const res = await runCli(argv);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as T;
}

describe("homepot db count", () => {
  it("lists all 14 tables, empty at first (json and aligned table)", async () => {
    const counts = await json<Record<string, number>>(["db", "count", "--json"]);
    expect(Object.keys(counts)).toEqual(TABLES);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);

    const human = await runCli(["db", "count"]);
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split("\n");
    expect(lines[1]).toMatch(/^table\s+rows$/);
    for (const t of TABLES) expect(human.stdout).toMatch(new RegExp(`^${t}\\s+0$`, "m"));
    // Aligned: every data row has its count in the same column.
    const ends = lines.slice(1).map((l) => l.length);
    expect(new Set(ends).size).toBe(1);
  });
});

describe("homepot seed", () => {
  it("creates 3 sites, 12 simulated terminals, 21 schedule days and the admin; audited; idempotent", async () => {
    const first = await json<Record<string, unknown>>([
      "seed",
      "--json",
      "--admin-email",
      "Boss@Example.com",
      "--admin-password",
      "long-enough-pw",
    ]);
    expect(first).toMatchObject({
      sites_created: 3,
      devices_created: 12,
      schedules_created: 21,
      admin: { email: "boss@example.com", created: true },
    });

    const counts = await json<Record<string, number>>(["db", "count", "--json"]);
    expect(counts).toMatchObject({ sites: 3, devices: 12, site_operating_schedules: 21, users: 1 });

    const devices = await json<Record<string, unknown>[]>(["db", "query", "devices", "--limit", "100", "--json"]);
    expect(devices.map((d) => d.device_id).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `pos-terminal-${String(i + 1).padStart(3, "0")}`),
    );
    expect(
      devices.every(
        (d) => d.is_simulated === true && d.segment === "pos-terminals" && d.device_type === "pos_terminal",
      ),
    ).toBe(true);
    const bySite = (site: string) => devices.filter((d) => d.site_id === site).length;
    expect([bySite("site-001"), bySite("site-002"), bySite("site-003")]).toEqual([5, 3, 4]);

    const friday = await json<Record<string, unknown>[]>([
      "db",
      "query",
      "site_operating_schedules",
      "--where",
      "site_id=site-001",
      "--where",
      "day_of_week=4",
      "--json",
    ]);
    expect(friday).toHaveLength(1);
    expect(friday[0]).toMatchObject({
      open_time: "08:00:00",
      close_time: "23:30:00",
      peak_hours_start: "17:00:00",
      peak_hours_end: "21:00:00",
      expected_transaction_volume: 700,
    });
    const maintenance = await json<Record<string, unknown>[]>([
      "db",
      "query",
      "site_operating_schedules",
      "--where",
      "is_maintenance_window=true",
      "--limit",
      "50",
      "--json",
    ]);
    expect(new Set(maintenance.map((m) => m.site_id))).toEqual(new Set(["site-001", "site-002", "site-003"]));

    const audits = await json<Record<string, unknown>[]>([
      "db",
      "query",
      "audit_logs",
      "--where",
      "event_type=device_created",
      "--limit",
      "100",
      "--json",
    ]);
    expect(audits).toHaveLength(12);
    const siteAudits = await json<unknown[]>([
      "db",
      "query",
      "audit_logs",
      "--where",
      "event_type=site_created",
      "--json",
    ]);
    expect(siteAudits).toHaveLength(3);

    // The admin can sign in with the password given.
    const database = await openCliDatabase();
    try {
      const admin = await authenticateUser(
        { db: database.db, actor: systemActor, clock: systemClock, logger: silentLogger },
        "boss@example.com",
        "long-enough-pw",
      );
      expect(admin.role).toBe("admin");
    } finally {
      await database.close();
    }

    const again = await json<Record<string, unknown>>(["seed", "--json"]);
    expect(again).toMatchObject({ sites_created: 0, devices_created: 0, schedules_created: 0, admin: null });
    expect(await json(["db", "count", "--json"])).toMatchObject({
      sites: 3,
      devices: 12,
      site_operating_schedules: 21,
    });
  });

  it("refuses bad options with exit 2", async () => {
    expect((await runCli(["seed", "--devices", "many"])).code).toBe(2);
    const half = await runCli(["seed", "--admin-email", "x@example.com"]);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/admin email and password/);
  });
});

describe("homepot db query", () => {
  it("prints newest first, honours --limit and --where, and never a secret column", async () => {
    const rows = await json<Record<string, unknown>[]>([
      "db",
      "query",
      "devices",
      "--limit",
      "3",
      "--where",
      "site_id=site-003",
      "--json",
    ]);
    expect(rows.map((r) => r.device_id)).toEqual(["pos-terminal-012", "pos-terminal-011", "pos-terminal-010"]);
    expect(rows[0]).not.toHaveProperty("api_key_hash");
    expect(rows[0]).not.toHaveProperty("previous_api_key_hash");

    const big = await json<Record<string, unknown>[]>([
      "db",
      "query",
      "site_operating_schedules",
      "--where",
      "expected_transaction_volume>=650",
      "--limit",
      "50",
      "--json",
    ]);
    expect(big.length).toBeGreaterThan(0);
    expect(big.every((r) => Number(r.expected_transaction_volume) >= 650)).toBe(true);

    const users = await json<Record<string, unknown>[]>(["db", "query", "users", "--json"]);
    expect(users).toHaveLength(1);
    expect(Object.keys(users[0] ?? {})).not.toContain("hashed_password");
    expect(Object.keys(users[0] ?? {})).not.toContain("api_key");
    expect(String(users[0]?.created_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    const human = await runCli(["db", "query", "users"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^id\s+username\s+email/m);
    expect(human.stdout).not.toMatch(/\$2[aby]\$/); // no bcrypt hash anywhere
  });

  it("rejects an unknown table, an unknown column and a bad limit with exit 2", async () => {
    const table = await runCli(["db", "query", "pg_shadow"]);
    expect(table.code).toBe(2);
    expect(table.stderr).toMatch(/unknown table "pg_shadow"/);
    const column = await runCli(["db", "query", "devices", "--where", "1=1; drop table devices"]);
    expect(column.code).toBe(2);
    const injection = await json<unknown[]>(["db", "query", "devices", "--where", "device_id=x' or '1'='1", "--json"]);
    expect(injection).toEqual([]);
    expect((await runCli(["db", "query", "devices", "--limit", "0"])).code).toBe(2);
    expect(await json(["db", "count", "--json"])).toMatchObject({ devices: 12 });
  });
});

describe("homepot db schema / migrate", () => {
  it("describes a table's columns with types and nullability", async () => {
    const cols = await json<{ column: string; type: string; nullable: boolean }[]>([
      "db",
      "schema",
      "device_metrics",
      "--json",
    ]);
    expect(cols.find((c) => c.column === "device_id")).toMatchObject({
      type: "character varying(255)",
      nullable: false,
    });
    expect(cols.find((c) => c.column === "cpu_percent")).toMatchObject({ type: "double precision", nullable: true });
    const human = await runCli(["db", "schema", "sites"]);
    expect(human.stdout).toMatch(/^site_id\s+character varying\(50\)\s+no/m);
  });

  it("reports migrations up to date", async () => {
    const res = await runCli(["db", "migrate"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/up to date \(\d+ migrations applied\)/);
  });
});

describe("homepot user create", () => {
  it("creates a user with a role, refuses duplicates and bad input", async () => {
    const created = await json<Record<string, unknown>>([
      "user",
      "create",
      "--email",
      "op@example.com",
      "--password",
      "operator-pass",
      "--role",
      "operator",
      "--username",
      "op1",
      "--json",
    ]);
    expect(created).toMatchObject({ email: "op@example.com", username: "op1", role: "operator" });
    const rows = await json<Record<string, unknown>[]>([
      "db",
      "query",
      "users",
      "--where",
      "email=op@example.com",
      "--json",
    ]);
    expect(rows[0]).toMatchObject({ role: "operator", is_admin: false });
    const audit = await json<Record<string, unknown>[]>([
      "db",
      "query",
      "audit_logs",
      "--where",
      "event_type=user_created",
      "--limit",
      "10",
      "--json",
    ]);
    expect(JSON.stringify(audit)).toContain("op@example.com");
    expect(JSON.stringify(audit)).not.toContain("operator-pass");

    const dup = await runCli(["user", "create", "--email", "OP@example.com", "--password", "operator-pass"]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    expect((await runCli(["user", "create", "--email", "v@example.com", "--password", "short"])).code).toBe(1);
    expect(
      (await runCli(["user", "create", "--email", "v@example.com", "--password", "long-enough", "--role", "root"]))
        .code,
    ).toBe(2);
    expect((await runCli(["user", "create", "--email", "not-an-email", "--password", "long-enough"])).code).toBe(2);
    expect(await json(["db", "count", "--json"])).toMatchObject({ users: 2 });
  });
});
