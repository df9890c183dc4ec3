import { sql } from "drizzle-orm";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../testing.ts";

/**
 * Cross-cutting security properties, checked over every route of the OpenAPI document where possible:
 * device keys are bound to their device, a viewer changes nothing, expired tokens are refused, the session
 * cookie is httpOnly + SameSite, and no secret (password, token, device key) reaches any log table.
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
let viewer: Awaited<ReturnType<typeof loginAs>>;
const keys: Record<string, string> = {};
const dev = (id: string) => ({ "x-device-id": id, "x-api-key": keys[id] ?? "" });

beforeAll(async () => {
  t = await createTestApp({ env: { HOMEPOT_SIGNUP: "open" } });
  admin = await loginAs(t, "admin");
  viewer = await loginAs(t, "viewer");
  const site = await t.app.inject({
    method: "POST",
    url: "/api/v1/sites",
    headers: admin.headers,
    payload: { site_id: "site-sec", name: "Security site" },
  });
  expect(site.statusCode).toBe(201);
  for (const id of ["pos-terminal-a", "pos-terminal-b"]) {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/sites/site-sec/devices",
      headers: admin.headers,
      payload: { device_id: id, name: id, device_type: "pos_terminal" },
    });
    expect(res.statusCode).toBe(201);
    keys[id] = String(res.json().api_key);
  }
});
afterAll(async () => t.close());

async function scalar(query: ReturnType<typeof sql>): Promise<number> {
  const result = (await t.database.db.execute(query)) as { rows: { n: number | string }[] };
  return Number(result.rows[0]?.n ?? 0);
}

describe("device keys are bound to their device", () => {
  it("a device cannot report health or metrics for another device, nor act as it", async () => {
    const health = {
      status: "healthy",
      config_version: "1.0.0",
      response_time_ms: 12,
      metrics: { cpu_usage_percent: 10 },
    };
    const own = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/pos-terminal-a/health",
      headers: dev("pos-terminal-a"),
      payload: health,
    });
    expect(own.statusCode).toBeLessThan(300);
    const other = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/pos-terminal-b/health",
      headers: dev("pos-terminal-a"),
      payload: health,
    });
    expect(other.statusCode).toBe(403);
    const metrics = await t.app.inject({
      method: "POST",
      url: "/api/v1/analytics/device-metrics",
      headers: dev("pos-terminal-a"),
      payload: { device_id: "pos-terminal-b", cpu_percent: 5 },
    });
    expect(metrics.statusCode).toBe(403);
    // A's key presented with B's id is not a valid credential at all.
    const swapped = await t.app.inject({
      method: "GET",
      url: "/api/v1/devices/pending",
      headers: { "x-device-id": "pos-terminal-b", "x-api-key": keys["pos-terminal-a"] ?? "" },
    });
    expect(swapped.statusCode).toBe(401);
    expect(
      await scalar(
        sql`select count(*) as n from health_checks h join devices d on d.id = h.device_id where d.device_id = 'pos-terminal-b'`,
      ),
    ).toBe(0);
    expect(await scalar(sql`select count(*) as n from device_metrics where device_id = 'pos-terminal-b'`)).toBe(0);
  });

  it("a device cannot see, take or answer another device's commands", async () => {
    const queued = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/pos-terminal-b/commands",
      headers: admin.headers,
      payload: { command_type: "PING" },
    });
    expect(queued.statusCode).toBe(201);
    const commandId = String(queued.json().data.command_id);
    const pendingA = await t.app.inject({
      method: "GET",
      url: "/api/v1/devices/pending",
      headers: dev("pos-terminal-a"),
    });
    expect(pendingA.statusCode).toBe(200);
    expect(pendingA.json()).toEqual([]);
    const result = await t.app.inject({
      method: "POST",
      url: `/api/v1/devices/commands/${commandId}/result`,
      headers: dev("pos-terminal-a"),
      payload: { status: "succeeded" },
    });
    expect([403, 404]).toContain(result.statusCode);
    const compat = await t.app.inject({
      method: "PUT",
      url: `/api/v1/devices/${commandId}/status`,
      headers: dev("pos-terminal-a"),
      payload: { status: "completed" },
    });
    expect([403, 404]).toContain(compat.statusCode);
    expect(
      await scalar(
        sql`select count(*) as n from device_commands where command_id = ${commandId} and status = 'pending'`,
      ),
    ).toBe(1);
    // B still gets it.
    const pendingB = await t.app.inject({
      method: "GET",
      url: "/api/v1/devices/pending",
      headers: dev("pos-terminal-b"),
    });
    expect(pendingB.json().map((c: { command_id: string }) => c.command_id)).toEqual([commandId]);
  });

  it("a device key opens no user route", async () => {
    for (const url of [
      "/api/v1/devices",
      "/api/v1/devices/pos-terminal-a",
      "/api/v1/sites",
      "/api/v1/analytics/requests",
      "/api/v1/auth/me",
    ]) {
      const res = await t.app.inject({ method: "GET", url, headers: dev("pos-terminal-a") });
      expect(res.statusCode, url).toBe(401);
    }
    const rotate = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/pos-terminal-a/api-key/rotate",
      headers: dev("pos-terminal-a"),
    });
    expect(rotate.statusCode).toBe(401);
  });
});

interface Operation {
  method: string;
  path: string;
}
const operations = (): Operation[] => {
  const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
      .map((m) => ({ method: m.toUpperCase(), path })),
  );
};
const fill = (path: string, commandId = "cmd-unknown") =>
  path
    .replace("{site_id}", "site-sec")
    .replace("{device_id}", "pos-terminal-a")
    .replace("{command_id}", commandId)
    .replace("{job_id}", "job-00000000")
    .replace(/\{[a-z_]+\}/g, "1");

// POSTs any signed-in user (or anyone) may make: sign-up/login/logout, their own dashboard tracking and error
// reports, and the two insight questions that are asked by POST but change nothing (every role reads insights).
const VIEWER_MAY_WRITE = new Set([
  "POST /api/v1/ai/recommendations/schedule-job",
  "POST /api/v1/ai/recommendations/success-probability",
  "POST /api/v1/auth/signup",
  "POST /api/v1/auth/register",
  "POST /api/v1/auth/login",
  "POST /api/v1/auth/logout",
  "POST /api/v1/analytics/user-activity",
  "POST /api/v1/analytics/errors",
  "POST /api/v1/analytics/error",
  // Asking a question reads the fleet; the only row written is the viewer's own question history.
  "POST /api/v1/ai/query",
  // Every user manages their own API tokens (a read-only token at most for a viewer; another's id is 404).
  "POST /api/v1/auth/tokens",
  "DELETE /api/v1/auth/tokens/{token_id}",
  // Every user renews and ends their own sessions (another's session id is 404).
  "POST /api/v1/auth/refresh",
  "POST /api/v1/auth/logout-all",
  "DELETE /api/v1/auth/sessions/{session_id}",
  // A device's own credential is in the body (claim token, bootstrap key): a user's token grants nothing there.
  "POST /api/v1/enrolment-intents/{intent_id}/claim",
  "POST /api/v1/devices/bootstrap-provision",
  "POST /api/v1/devices/verify-bootstrap",
  "POST /api/v1/devices/check-name",
]);

describe("a viewer cannot change anything", () => {
  it("every other write route answers 401/403 to a viewer, and the data is unchanged", async () => {
    const snapshot = async () =>
      Promise.all(
        [
          "sites",
          "devices",
          "users",
          "jobs",
          "device_commands",
          "site_operating_schedules",
          "configuration_history",
          "alerts",
        ].map(async (table) => {
          const rows = (await t.database.db.execute(
            sql`select md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as h, count(*) as n from ${sql.identifier(table)} x`,
          )) as {
            rows: { h: string; n: string | number }[];
          };
          return `${table}:${rows.rows[0]?.n}:${rows.rows[0]?.h}`;
        }),
      );
    const queued = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/pos-terminal-a/commands",
      headers: admin.headers,
      payload: { command_type: "PING" },
    });
    const commandId = String(queued.json().data.command_id);
    const before = await snapshot();
    const writes = operations().filter((o) => o.method !== "GET" && !VIEWER_MAY_WRITE.has(`${o.method} ${o.path}`));
    expect(writes.length).toBeGreaterThan(10);
    const allowed: string[] = [];
    for (const op of writes) {
      const res = await t.app.inject({
        method: op.method as "POST",
        url: fill(op.path, commandId),
        headers: viewer.headers,
        payload: {},
      });
      if (![401, 403].includes(res.statusCode)) allowed.push(`${op.method} ${op.path} → ${res.statusCode}`);
    }
    expect(allowed).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("tokens and cookies", () => {
  it("every route that needs a user refuses an expired token and a token signed with another secret", async () => {
    const sign = (secret: string, exp: number) =>
      new SignJWT({ email: admin.email, username: "x", role: "admin" })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(String(admin.user.id))
        .setIssuer("homepot")
        .setIssuedAt(exp - 3600)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign(t.config.jwtSecret, now - 60);
    const foreign = await sign("another-secret-another-secret-another-secret", now + 3600);
    const valid = await sign(t.config.jwtSecret, now + 3600);
    let protectedRoutes = 0;
    for (const [index, op] of operations().entries()) {
      const url = fill(op.path);
      // One client address per route, so the per-IP budget of failed device logins (device routes answer 401 to
      // these requests too) is not spent by the walk itself.
      const remoteAddress = `10.9.${index >> 8}.${index & 255}`;
      const anonymous = await t.app.inject({
        method: op.method as "GET",
        url,
        remoteAddress,
        payload: op.method === "GET" ? undefined : {},
      });
      if (anonymous.statusCode !== 401) continue;
      protectedRoutes += 1;
      for (const [label, token] of [
        ["expired", expired],
        ["foreign", foreign],
      ] as const) {
        const res = await t.app.inject({
          method: op.method as "GET",
          url,
          headers: { authorization: `Bearer ${token}` },
          remoteAddress,
          payload: op.method === "GET" ? undefined : {},
        });
        expect(res.statusCode, `${op.method} ${op.path} with an ${label} token`).toBe(401);
        const viaCookie = await t.app.inject({
          method: op.method as "GET",
          url,
          cookies: { access_token: token },
          remoteAddress,
          payload: op.method === "GET" ? undefined : {},
        });
        expect(viaCookie.statusCode, `${op.method} ${op.path} with an ${label} cookie`).toBe(401);
      }
    }
    expect(protectedRoutes).toBeGreaterThan(20);
    // The same claims with a valid signature and expiry are accepted (so the refusals above are about expiry/signature).
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { authorization: `Bearer ${valid}` } }))
        .statusCode,
    ).toBe(200);
  });

  it("the session cookie is httpOnly, SameSite and scoped to the whole app", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: viewer.email, password: viewer.password },
    });
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/^access_token=[^;]+/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=(Lax|Strict)/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).toMatch(/;\s*(Max-Age|Expires)=/i);
  });
});

describe("no secret in any log table", () => {
  it("passwords, tokens and device keys never reach audit, request, error, activity or history rows", async () => {
    const password = "Sup3r-Secret-Passw0rd!";
    const email = "secret-holder@example.com";
    expect(
      (await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email, password } })).statusCode,
    ).toBe(201);
    await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email, password: `${password}-wrong` },
    });
    const login = await t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });
    const token = String(login.json().data.access_token);
    // Secrets in places a careless logger would copy: query strings, bodies of failing requests, error reports.
    await t.app.inject({
      method: "GET",
      url: `/api/v1/auth/me?token=${token}&password=${encodeURIComponent(password)}`,
      headers: { authorization: `Bearer ${token}` },
    });
    await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email, password } }); // 409
    await t.app.inject({
      method: "POST",
      url: "/api/v1/analytics/errors",
      headers: { authorization: `Bearer ${token}` },
      payload: {
        error_message: `request failed with Bearer ${token}`,
        context: { password, api_key: keys["pos-terminal-a"], note: `key ${keys["pos-terminal-b"]}` },
      },
    });
    await t.app.inject({
      method: "POST",
      url: "/api/v1/analytics/user-activity",
      headers: { authorization: `Bearer ${token}` },
      payload: { activity_type: "search", search_query: "laptops", extra_data: { password } },
    });
    const rotated = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/pos-terminal-a/api-key/rotate",
      headers: admin.headers,
    });
    expect(rotated.statusCode).toBe(200);
    const newKey = String(rotated.json().api_key);
    await t.app.inject({
      method: "GET",
      url: "/api/v1/devices/pending",
      headers: { "x-device-id": "pos-terminal-b", "x-api-key": `${keys["pos-terminal-b"]}x` },
    });
    await t.app.inject({ method: "DELETE", url: "/api/v1/devices/pos-terminal-b/api-key", headers: admin.headers });
    await t.app.requestLogs.flush();

    const secrets = [
      password,
      token,
      admin.token,
      admin.password,
      viewer.password,
      keys["pos-terminal-a"],
      keys["pos-terminal-b"],
      newKey,
    ].filter((s): s is string => Boolean(s));
    const tables = [
      "audit_logs",
      "api_request_logs",
      "error_logs",
      "user_activities",
      "device_state_history",
      "job_outcomes",
      "configuration_history",
      "health_checks",
      "device_commands",
      "alerts",
    ];
    const leaks: string[] = [];
    for (const table of tables) {
      const result = (await t.database.db.execute(sql`select x::text as row from ${sql.identifier(table)} x`)) as {
        rows: { row: string }[];
      };
      for (const { row } of result.rows) {
        for (const secret of secrets) if (row.includes(secret)) leaks.push(`${table}: ${row.slice(0, 200)}`);
        if (/\$2[aby]\$\d\d\$/.test(row)) leaks.push(`${table}: bcrypt hash in ${row.slice(0, 200)}`);
      }
    }
    expect(leaks).toEqual([]);
    // The flows above did write to those tables (the check is not vacuous).
    expect(
      await scalar(sql`select count(*) as n from audit_logs where event_type like 'login%'`),
    ).toBeGreaterThanOrEqual(2);
    expect(await scalar(sql`select count(*) as n from api_request_logs`)).toBeGreaterThan(5);
    expect(await scalar(sql`select count(*) as n from error_logs`)).toBeGreaterThan(0);
  });
});
