import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp } from "../testing.ts";

/**
 * Property: no request makes `/health` slower than 200 ms (issue 23). Text that reaches the secret redaction
 * (`redactSecretString`) or the export's e-mail scrub once took quadratic time on input like "eyJ".repeat(n):
 * one anonymous 200 KB error report blocked the event loop for 18 s. The app listens on a real port; while each
 * adversarial request is in flight, `/health` is fetched every ~20 ms on another connection and its slowest
 * round-trip must stay within the budget. Payloads are built with `repeat` from short seeds (20 KB of such text
 * took the old patterns about a second; accepted bodies stay small so the budget measures the text handling, and
 * the 200 KB ones must be refused as cheaply).
 */
const BUDGET_MS = 200;
const ATTEMPTS = 3;

/** `seed` repeated to `chars` characters: one long run of base64url text that starts every JWT-looking match. */
const fill = (seed: string, chars: number) => seed.repeat(Math.ceil(chars / seed.length)).slice(0, chars);
/** Seeds of the worst inputs the old patterns knew: JWT starts, JWT-alphabet text, a local part with no "@". */
const SEEDS = ["eyJ", "eyJhbGciOiJIUzI1NiJ9", "user.name_"];

let t: TestApp;
let base: string;
let viewerHeaders: Record<string, string>;
let adminHeaders: Record<string, string>;
let deviceHeaders: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  viewerHeaders = (await loginAs(t, "viewer")).headers;
  adminHeaders = (await loginAs(t, "admin")).headers;
  const site = await t.app.inject({
    method: "POST",
    url: "/api/v1/sites",
    headers: adminHeaders,
    payload: { site_id: "site-stall", name: "Stall site" },
  });
  expect(site.statusCode).toBe(201);
  const device = await t.app.inject({
    method: "POST",
    url: "/api/v1/devices/sites/site-stall/devices",
    headers: adminHeaders,
    payload: { device_id: "pos-stall-1", name: "Stall terminal", device_type: "pos_terminal" },
  });
  expect(device.statusCode).toBe(201);
  deviceHeaders = { "x-device-id": "pos-stall-1", "x-api-key": String(device.json().api_key) };
  // Every route once with harmless text (spaces end every run), so no measured poll pays for a cold route.
  for (const c of cases("ab ")) {
    const headers = typeof c.headers === "function" ? c.headers() : c.headers;
    await t.app.inject({ method: c.method as "GET" | "POST", url: c.path, headers, payload: c.body as object });
  }
});
afterAll(async () => t.close());

interface Probe {
  status: number;
  /** The slowest /health round-trip seen while the request was in flight. */
  maxHealthMs: number;
  polls: number;
}

/** Sends one request and, until it has been answered (body read), times /health every ~20 ms. */
async function probe(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Probe> {
  let done = false;
  const request = fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
    .then(async (res) => ({ status: res.status, text: await res.text() }))
    .finally(() => {
      done = true;
    });
  let maxHealthMs = 0;
  let polls = 0;
  while (!done) {
    const started = performance.now();
    const health = await fetch(`${base}/health`);
    await health.arrayBuffer();
    maxHealthMs = Math.max(maxHealthMs, performance.now() - started);
    polls += 1;
    expect(health.status).toBe(200);
    if (!done) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const { status } = await request;
  return { status, maxHealthMs, polls };
}

/** One adversarial request per case: accepted ones reach the redaction; oversize ones must be refused as cheaply. */
const cases = (seed: string) => [
  {
    name: "anonymous POST /analytics/errors, message and stack at their caps (50 KB)",
    method: "POST",
    path: "/api/v1/analytics/errors",
    headers: {},
    body: {
      errors: [
        { error_message: fill(seed, 10_000), stack_trace: fill(seed, 20_000), context: { note: fill(seed, 20_000) } },
      ],
    },
    status: 201,
  },
  {
    name: "anonymous POST /analytics/errors, a 200 KB message (over the cap)",
    method: "POST",
    path: "/api/v1/analytics/errors",
    headers: {},
    body: { error_message: fill(seed, 200_000) },
    status: 422,
  },
  {
    name: "user activity, one event with 60 KB of extra_data and search_query at its cap (62 KB)",
    method: "POST",
    path: "/api/v1/analytics/user-activity",
    headers: () => viewerHeaders,
    body: { activity_type: "search", search_query: fill(seed, 2000), extra_data: { note: fill(seed, 60_000) } },
    status: 201,
  },
  {
    name: "device health report, error text at its cap and 20 KB of device_info (25 KB)",
    method: "POST",
    path: "/api/v1/devices/pos-stall-1/health",
    headers: () => deviceHeaders,
    body: {
      status: "unhealthy",
      error: fill(seed, 5000),
      device_info: { note: fill(seed, 20_000) },
    },
    status: 201,
  },
  {
    name: "device health report, 200 KB of error text (over the cap)",
    method: "POST",
    path: "/api/v1/devices/pos-stall-1/health",
    headers: () => deviceHeaders,
    body: { status: "unhealthy", error: fill(seed, 200_000) },
    status: 422,
  },
  // The export scrubs e-mail addresses out of every text and json cell of the rows stored above.
  ...["error_logs", "user_activities", "health_checks"].map((table) => ({
    name: `admin export of ${table} holding those rows`,
    method: "GET",
    path: `/api/v1/analytics/export?table=${table}&format=jsonl`,
    headers: () => adminHeaders,
    body: undefined,
    status: 200,
  })),
];

describe("no request makes /health slower than 200 ms", () => {
  for (const seed of SEEDS) {
    it(`payloads built from ${JSON.stringify(seed)}`, { timeout: 120_000 }, async () => {
      // The first /health of a test opens its connection; that set-up is not what is measured.
      expect((await fetch(`${base}/health`)).status).toBe(200);
      for (const c of cases(seed)) {
        const headers = typeof c.headers === "function" ? c.headers() : c.headers;
        // A request that stalls the event loop does so every time; a lone slow poll on a busy machine (CI, other
        // processes) does not repeat. So a case passes once one of three sends kept /health within the budget.
        const slowest: number[] = [];
        for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
          const result = await probe(c.method, c.path, headers, c.body);
          expect({ case: c.name, status: result.status }).toEqual({ case: c.name, status: c.status });
          if (process.env.HOMEPOT_STALL_REPORT) console.log(seed, c.name, result);
          slowest.push(Math.round(result.maxHealthMs));
          if (result.maxHealthMs <= BUDGET_MS) break;
        }
        expect({ case: c.name, within_budget: Math.min(...slowest) <= BUDGET_MS, slowest_ms: slowest }).toEqual({
          case: c.name,
          within_budget: true,
          slowest_ms: slowest,
        });
      }
    });
  }
});
