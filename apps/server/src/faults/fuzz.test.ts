import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { InjectOptions } from "fastify";
import { afterAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs } from "../testing.ts";
import { type JsonSchema, nastyString, nastyValue, plausible } from "./fuzz-arbitraries.ts";

/**
 * Every endpoint of the OpenAPI document gets generated bodies, query strings, path parameters and headers
 * (wrong types, huge values, unicode, deep nesting, missing fields, injection strings, oversize payloads).
 * The answer must always be a 2xx/3xx/4xx with a JSON `{detail}` for errors, never a 5xx, a stack trace or a
 * secret; afterwards the database must be consistent. HOMEPOT_FUZZ_RUNS sets the cases per endpoint.
 */
const RUNS = Number(process.env.HOMEPOT_FUZZ_RUNS ?? 120);
const TIME_LIMIT_MS = Number(process.env.HOMEPOT_FUZZ_MS_PER_ROUTE ?? 15_000);

const t = await createTestApp({ env: { HOMEPOT_KEY_GRACE_S: "60" } });
afterAll(async () => t.close());
const admin = await loginAs(t, "admin");
/** Admins this file signs in itself (the fixture, and fresh ones after the session-ending routes). */
const ownAdmins = [admin.user.id];
const viewer = await loginAs(t, "viewer");
// A real site and device (with its key), so device-authenticated routes are reached with valid credentials too.
const siteRes = await t.app.inject({
  method: "POST",
  url: "/api/v1/sites",
  headers: admin.headers,
  payload: { site_id: "site-001", name: "Fuzz site" },
});
if (siteRes.statusCode !== 201) throw new Error(`fuzz setup: create site → ${siteRes.statusCode} ${siteRes.body}`);
const deviceRes = await t.app.inject({
  method: "POST",
  url: "/api/v1/devices/sites/site-001/devices",
  headers: admin.headers,
  payload: { device_id: "pos-terminal-001", name: "Fuzz terminal", device_type: "pos_terminal" },
});
if (deviceRes.statusCode !== 201)
  throw new Error(`fuzz setup: register device → ${deviceRes.statusCode} ${deviceRes.body}`);
const deviceHeaders = { "x-device-id": "pos-terminal-001", "x-api-key": String(deviceRes.json().api_key) };
// Values no answer may ever contain: passwords, the device key, and the stored hashes of both.
const storedSecrets = (await t.database.db.execute(sql`
  select hashed_password as s from users union all select api_key_hash from devices where api_key_hash is not null`)) as {
  rows: { s: string }[];
};
const SECRETS = [admin.password, viewer.password, deviceHeaders["x-api-key"], ...storedSecrets.rows.map((r) => r.s)];

interface Param {
  in: "path" | "query" | "header";
  name: string;
  schema?: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  params: Param[];
  body?: JsonSchema;
}

const doc = t.app.swagger() as {
  paths: Record<
    string,
    Record<string, { parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>
  >;
};
// Logout, password resets and role changes end or demote the fuzzing admin's session (that is their job): they
// run last, so every other route is fuzzed with a working token, and the checks after them sign in afresh.
const SESSION_ENDING = new Set([
  "POST /api/v1/auth/logout",
  "POST /api/v1/auth/logout-all",
  "POST /api/v1/users/{user_id}/reset-password",
  "PATCH /api/v1/users/{user_id}",
]);
const operations: Operation[] = Object.entries(doc.paths)
  .flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        params: op.parameters ?? [],
        body: op.requestBody?.content?.["application/json"]?.schema,
      })),
  )
  .sort(
    (a, b) => Number(SESSION_ENDING.has(`${a.method} ${a.path}`)) - Number(SESSION_ENDING.has(`${b.method} ${b.path}`)),
  );

// A URL cannot carry a lone surrogate; the body can (JSON escapes it).
const wellFormed = (s: string): string => (s as string & { toWellFormed(): string }).toWellFormed();
const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, "?").slice(0, 2000);
const OVERSIZE = JSON.stringify({ padding: "x".repeat(1_100_000) });

function requestArbitrary(op: Operation): fc.Arbitrary<InjectOptions> {
  const pathParams = op.params.filter((p) => p.in === "path");
  const queryParams = op.params.filter((p) => p.in === "query");
  const pathValues = fc.tuple(
    ...pathParams.map((p) =>
      fc.oneof({ weight: 2, arbitrary: plausible(p.schema) }, { weight: 3, arbitrary: nastyString }),
    ),
  );
  const query = fc.tuple(
    fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fc.oneof(plausible(p.schema), nastyValue)])), {
      requiredKeys: [],
    }),
    fc.dictionary(fc.constantFrom("limit", "offset", "start_date", "end_date", "cursor", "x"), nastyString, {
      maxKeys: 2,
    }),
  );
  const body = fc.oneof(
    { weight: 5, arbitrary: plausible(op.body).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: nastyValue.map((v) => JSON.stringify(v) ?? "null") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "{",
        '{"a":}',
        "[1,2",
        "\u0000",
        "null",
        "",
        '{"__proto__":{"is_admin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
      ),
    },
    { weight: 1, arbitrary: fc.constant(OVERSIZE) },
  );
  const auth = fc.oneof(
    { weight: 6, arbitrary: fc.constant<Record<string, string>>(admin.headers) },
    { weight: 3, arbitrary: fc.constant<Record<string, string>>(deviceHeaders) },
    { weight: 1, arbitrary: fc.constant<Record<string, string>>(viewer.headers) },
    { weight: 1, arbitrary: fc.constant<Record<string, string>>({}) },
    { weight: 1, arbitrary: nastyString.map((s) => ({ authorization: `Bearer ${printable(s)}` })) },
    {
      weight: 1,
      arbitrary: nastyString.map((s) => ({
        cookie: `access_token=${encodeURIComponent(wellFormed(s)).slice(0, 2000)}`,
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(nastyString, nastyString)
        .map(([id, key]) => ({ "x-device-id": printable(id), "x-api-key": printable(key) })),
    },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant("application/json") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin1",
        "multipart/form-data",
        "application/xml",
      ),
    },
  );
  return fc
    .record({
      pathValues,
      query,
      body,
      auth,
      contentType,
      extraHeaders: fc.dictionary(
        fc.constantFrom("accept", "user-agent", "x-forwarded-for", "x-request-id"),
        nastyString.map(printable),
        { maxKeys: 2 },
      ),
    })
    .map((r) => {
      let url = op.path;
      pathParams.forEach((p, i) => {
        const raw = r.pathValues[i];
        url = url.replace(
          `{${p.name}}`,
          encodeURIComponent(wellFormed(typeof raw === "string" ? raw : (JSON.stringify(raw) ?? "x"))).slice(0, 3000) ||
            "%20",
        );
      });
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...r.query[1], ...r.query[0] }))
        search.append(k, wellFormed(typeof v === "string" ? v : (JSON.stringify(v) ?? "")));
      const qs = search.toString();
      const hasBody = op.method !== "GET" && op.method !== "DELETE";
      return {
        method: op.method as InjectOptions["method"],
        url: qs ? `${url}?${qs.slice(0, 8000)}` : url,
        headers: { ...r.extraHeaders, ...r.auth, ...(hasBody ? { "content-type": r.contentType } : {}) },
        ...(hasBody ? { payload: r.body } : {}),
      };
    });
}

describe("fuzzing every endpoint of the OpenAPI document", () => {
  it("finds the API's operations", () => {
    expect(operations.length).toBeGreaterThan(10);
    expect(operations.some((o) => o.path === "/api/v1/auth/login")).toBe(true);
  });

  for (const op of operations) {
    it(
      `${op.method} ${op.path}: never a 5xx, a stack trace or a secret`,
      async () => {
        await fc.assert(
          fc.asyncProperty(requestArbitrary(op), async (request) => {
            const res = await t.app.inject(request);
            const where = `${request.method} ${String(request.url).slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
            expect(res.statusCode, where).toBeLessThan(500);
            if (res.statusCode >= 400) {
              expect(res.headers["content-type"], where).toMatch(/application\/json/);
              expect(typeof res.json().detail, where).toBe("string");
            }
            expect(res.body, where).not.toMatch(/\n\s+at .+\.(ts|js):\d+/);
            expect(res.body, where).not.toMatch(/\$2[aby]\$\d\d\$/);
            for (const secret of SECRETS)
              expect(res.body.includes(secret), `${where}: a secret in the answer`).toBe(false);
          }),
          { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
        );
      },
      TIME_LIMIT_MS * 4,
    );
  }

  it("answers 4xx for text PostgreSQL cannot store and for over-long path parameters (regressions found by fuzzing)", async () => {
    // The fuzz of POST /auth/login spent 127.0.0.1's per-IP login budget: sign in from another client.
    const admin = await loginAs(t, "admin", undefined, { remoteAddress: "192.0.2.10" });
    ownAdmins.push(admin.user.id);
    const nul = await t.app.inject({
      method: "GET",
      url: "/api/v1/ai/health-forecast?site_id=%00",
      headers: admin.headers,
    });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().detail).toBe("querystring site_id: must not contain NUL characters");
    const long = await t.app.inject({
      method: "GET",
      url: `/api/v1/ai/insights/device/${"a".repeat(5000)}`,
      headers: admin.headers,
    });
    expect(long.statusCode).toBe(414);
    expect(long.json()).toEqual({ detail: "A path parameter is too long" });
  });

  it("leaves the service up and the database consistent", async () => {
    // The fuzz of POST /auth/login spent 127.0.0.1's per-IP login budget: sign in from another client.
    const admin = await loginAs(t, "admin", undefined, { remoteAddress: "192.0.2.10" });
    ownAdmins.push(admin.user.id);
    const ready = await t.app.inject({ method: "GET", url: "/ready" });
    expect(ready.statusCode).toBe(200);
    const me = await t.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: admin.headers });
    expect(me.statusCode).toBe(200);
    await t.app.requestLogs.flush();
    const one = async (query: ReturnType<typeof sql>) =>
      Number(((await t.database.db.execute(query)) as { rows: { n: number | string }[] }).rows[0]?.n ?? 0);
    // No unhandled error was recorded, and no 5xx was ever answered.
    expect(await one(sql`select count(*) as n from error_logs where error_code = 'API_INTERNAL_001'`)).toBe(0);
    expect(await one(sql`select count(*) as n from api_request_logs where status_code >= 500`)).toBe(0);
    // Rows that refer to devices, jobs and commands refer to existing ones; no half-written record.
    expect(
      await one(
        sql`select count(*) as n from device_commands c where not exists (select 1 from devices d where d.device_id = c.device_id)`,
      ),
    ).toBe(0);
    expect(
      await one(
        sql`select count(*) as n from device_metrics m where not exists (select 1 from devices d where d.device_id = m.device_id)`,
      ),
    ).toBe(0);
    expect(
      await one(
        sql`select count(*) as n from job_devices j where not exists (select 1 from jobs x where x.job_id = j.job_id)`,
      ),
    ).toBe(0);
    expect(await one(sql`select count(*) as n from devices where site_id not in (select site_id from sites)`)).toBe(0);
    // The fuzzer's prototype-pollution attempts did not make anyone an admin.
    // No admin appeared except those signed in here and those an admin made one (PATCH /users, audited).
    expect(
      await one(sql`select count(*) as n from users u where (u.is_admin or u.role = 'admin')
        and u.id <> all(${`{${ownAdmins.join(",")}}`}::int[])
        and not exists (select 1 from audit_logs a where a.event_type = 'user_updated'
          and a.event_metadata->>'target_user_id' = u.id::text and a.new_values->>'role' = 'admin')`),
    ).toBe(0);
    // The fuzzed device is still there, unless the fuzzing admin purged it or its site (admin routes, audited).
    const purged = await one(sql`select count(*) as n from audit_logs where
      (event_type = 'site_purged' and old_values->>'device_ids' like '%"pos-terminal-001"%')
      or (event_type = 'device_purged' and old_values->>'device_id' = 'pos-terminal-001')`);
    expect(await one(sql`select count(*) as n from devices where device_id = 'pos-terminal-001'`)).toBe(
      purged > 0 ? 0 : 1,
    );
    expect(({} as Record<string, unknown>).is_admin).toBeUndefined();
  });
});
