import { randomBytes } from "node:crypto";
import type { BodyOf } from "@homepot/contracts/client";
import { Rng } from "@homepot/core/simulator/random";
import { ApiClient, RequestStats } from "./api-client.ts";
import { disableTrafficUsers, trafficEmail } from "./traffic-cleanup.ts";

/** Sign in again after this long (the server's access tokens last 15 minutes by default). */
const TOKEN_REFRESH_MS = 10 * 60_000;

/**
 * Realistic dashboard use against a running server: users sign up and sign in, open pages (each page
 * calls the read APIs the dashboard calls), click, search, submit forms, send their activity in batches
 * to POST /analytics/user-activity, hit the odd client error (404, bad body, expired session) and report
 * frontend errors to POST /analytics/errors. Fills api_request_logs, user_activities and error_logs.
 */

export interface TrafficOptions {
  server: string;
  durationMs: number;
  /** Signed-up (viewer) users browsing at the same time. */
  users: number;
  /** An operator/admin account to browse admin pages (analytics) with. */
  admin?: { email: string; password: string };
  seed?: number | string;
  /** Think-time multiplier (1 = human pace, 0.1 = ten times faster). */
  pace?: number;
  /**
   * Let operator/admin users start jobs from the jobs page (config rollouts, restarts, health checks on the
   * server's real sites). Off unless asked: those jobs reach real devices.
   */
  jobs?: boolean;
  /** Keep the users this run signed up (by default an admin account disables them at the end). */
  keepUsers?: boolean;
  /** Stop each user after this many sessions (a run of fixed size, e.g. tests); the duration still bounds it. */
  sessionsPerUser?: number;
  onProgress?(elapsedMs: number, summary: TrafficSummary): void;
}

export interface TrafficSummary {
  users: number;
  sessions: number;
  requests: number;
  requestsByClass: Record<string, number>;
  activitiesRecorded: number;
  frontendErrorsReported: number;
  clientErrorsMade: number;
  pageViews: number;
  /** Jobs an operator/admin user created from the jobs page (run by the server's orchestrator); only with `jobs`. */
  jobsCreated: number;
  /** The users this run signed up, disabled again at its end (needs the admin account). */
  usersDisabled: number;
  /** Users this run signed up and left enabled (no admin account, or `keepUsers`). */
  usersLeft: string[];
}

interface Event {
  activity_type: string;
  page_url: string;
  element_id?: string;
  search_query?: string;
  duration_ms?: number;
  session_id: string;
  extra_data?: Record<string, unknown>;
}

interface Page {
  url: (ids: Known) => string;
  weight: number;
  admin?: boolean;
  operator?: boolean;
  /** The page shows one device or site: skipped while the server has none. */
  needs?: "device" | "site";
  api: (ids: Known) => string[];
  clicks: string[];
  searches?: (ids: Known) => string[];
  forms?: string[];
}

interface Known {
  devices: string[];
  sites: string[];
  device: string;
  site: string;
}

const pages: Page[] = [
  {
    url: () => "/",
    weight: 5,
    api: () => ["/api/v1/devices?limit=100", "/api/v1/sites", "/api/v1/jobs?limit=20", "/api/v1/ai/status"],
    clicks: ["btn-refresh", "card-online-devices", "card-open-alerts", "nav-devices"],
  },
  {
    url: () => "/devices",
    weight: 4,
    api: () => ["/api/v1/devices?limit=100"],
    clicks: ["filter-status-offline", "sort-last-seen", "btn-export", "device-row"],
    searches: (k) => [k.device, "offline", k.site, "pos-terminal", "error"],
    forms: ["device-filter-form"],
  },
  {
    url: (k) => `/devices/${k.device}`,
    weight: 4,
    needs: "device",
    api: (k) => [
      `/api/v1/devices/${k.device}`,
      `/api/v1/devices/${k.device}/commands`,
      `/api/v1/ai/insights/device/${k.device}`,
      `/api/v1/ai/predictions/failure/${k.device}`,
    ],
    clicks: ["tab-metrics", "tab-commands", "tab-history", "btn-run-health-check"],
  },
  {
    url: () => "/sites",
    weight: 2,
    api: () => ["/api/v1/sites"],
    clicks: ["site-row", "btn-add-site"],
    searches: (k) => [k.site, "mall", "downtown"],
  },
  {
    url: (k) => `/sites/${k.site}`,
    weight: 3,
    needs: "site",
    api: (k) => [
      `/api/v1/sites/${k.site}`,
      `/api/v1/sites/${k.site}/devices`,
      `/api/v1/sites/${k.site}/schedules`,
      `/api/v1/ai/insights/site/${k.site}`,
      `/api/v1/ai/recommendations/optimal-windows/${k.site}`,
    ],
    clicks: ["tab-schedule", "tab-devices", "btn-plan-maintenance"],
    forms: ["schedule-form"],
  },
  {
    url: () => "/jobs",
    weight: 2,
    api: () => ["/api/v1/jobs?limit=50"],
    clicks: ["job-row", "filter-status-failed", "btn-new-job"],
    forms: ["job-create-form"],
  },
  {
    url: () => "/insights",
    weight: 2,
    operator: true,
    api: () => ["/api/v1/ai/predictions/at-risk-devices", "/api/v1/ai/anomalies", "/api/v1/ai/health-forecast"],
    clicks: ["anomaly-row", "btn-resolve-alert"],
  },
  {
    url: () => "/analytics",
    weight: 3,
    admin: true,
    api: () => [
      "/api/v1/analytics/requests?limit=50",
      "/api/v1/analytics/errors?limit=50",
      "/api/v1/analytics/device-metrics/summary?bucket=hour",
      "/api/v1/analytics/user-activities?limit=50",
      "/api/v1/analytics/jobs?limit=50",
    ],
    clicks: ["tab-requests", "tab-errors", "range-24h", "range-7d"],
    searches: () => ["/api/v1/devices", "500", "timeout"],
  },
];

const frontendErrors = [
  {
    message: "TypeError: Cannot read properties of undefined (reading 'status')",
    severity: "error",
    stack:
      "TypeError: Cannot read properties of undefined (reading 'status')\n    at DeviceCard (assets/index-8f3a2c.js:412:31)\n    at renderWithHooks (assets/vendor-1c9e.js:2210:18)",
  },
  {
    message: "ChunkLoadError: Loading chunk 7 failed.",
    severity: "error",
    stack: "ChunkLoadError: Loading chunk 7 failed.\n    at __webpack_require__.f.j (assets/index-8f3a2c.js:1:9876)",
  },
  { message: "NetworkError when attempting to fetch resource.", severity: "warning", stack: null },
  { message: "ResizeObserver loop completed with undelivered notifications.", severity: "info", stack: null },
  {
    message: "Unhandled promise rejection: Request failed with status code 500",
    severity: "error",
    stack: "Error: Request failed with status code 500\n    at settle (assets/vendor-1c9e.js:880:12)",
  },
] as const;

const agents = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1",
];

/** What an operator submits from the jobs page: mostly config rollouts, sometimes restarts or health checks. */
function jobRequest(rng: Rng, siteId: string, first = false): BodyOf<"POST /jobs"> {
  // A run's first job is a config rollout, so even a short run exercises the configuration-history loop.
  const kind = first
    ? "config"
    : rng.weighted([
        ["config", 6],
        ["restart", 2],
        ["health", 2],
      ] as const);
  if (kind === "restart")
    return {
      action: "Restart POS application",
      job_type: "restart",
      site_id: siteId,
      priority: "normal",
      description: "Weekly app restart (traffic generator)",
    };
  if (kind === "health")
    return { action: "Run fleet health check", job_type: "health_check", site_id: siteId, priority: "low" };
  const version = `2.${rng.int(1, 9)}.${rng.int(0, 5)}`;
  return {
    action: "Update POS payment config",
    job_type: "config_update",
    site_id: siteId,
    priority: rng.pick(["high", "normal", "normal"]),
    config_url: `https://config.homepot.example/pos/payment-${version}.json`,
    config_version: version,
    description: "Payment gateway timeout tuning (traffic generator)",
    ...(rng.chance(0.5) ? { rollout: { batches: ["50%"], pause_s: 5, error_threshold: 0.5 } } : {}),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runTraffic(options: TrafficOptions): Promise<TrafficSummary> {
  const rng = new Rng(options.seed ?? randomBytes(4).readUInt32LE(0));
  const pace = options.pace ?? 1;
  const stats = new RequestStats();
  const deadline = Date.now() + options.durationMs;
  const started = Date.now();
  const summary: TrafficSummary = {
    users: 0,
    sessions: 0,
    requests: 0,
    requestsByClass: {},
    activitiesRecorded: 0,
    frontendErrorsReported: 0,
    clientErrorsMade: 0,
    pageViews: 0,
    jobsCreated: 0,
    usersDisabled: 0,
    usersLeft: [],
  };
  // About one job a minute across the run, the first early, so a short run still exercises the orchestrator.
  const maxJobs = Math.max(1, Math.round(options.durationMs / 60_000));
  let lastJobAt = 0;
  const sync = () => {
    summary.requests = stats.total;
    summary.requestsByClass = { ...stats.byClass };
  };

  // Learn real device and site ids from the server (as the dashboard's first screen does).
  const known: Omit<Known, "device" | "site"> = { devices: [], sites: [] };
  const runId = randomBytes(3).toString("hex");
  const accounts: { email: string; password: string; signUp: boolean; admin: boolean }[] = Array.from(
    { length: options.users },
    (_, i) => ({
      email: trafficEmail(runId, i + 1),
      password: randomBytes(12).toString("base64url"),
      signUp: true,
      admin: false,
    }),
  );
  if (options.admin) accounts.push({ ...options.admin, signUp: false, admin: true });
  const signedUp = new Set<string>();

  const progress = setInterval(() => {
    sync();
    options.onProgress?.(Date.now() - started, summary);
  }, 250);
  progress.unref();

  let inviter: Promise<ApiClient | undefined> | undefined;
  const invite = async (email: string): Promise<string | undefined> => {
    const admin = options.admin;
    if (!admin) return undefined;
    inviter ??= (async () => {
      const client = new ApiClient(options.server, stats, rng.pick(agents));
      return client.login(admin.email, admin.password).then(
        () => client,
        () => undefined,
      );
    })();
    const res = await (await inviter)?.call("POST /users/invitations", { body: { email, role: "viewer" } });
    return res?.ok && res.status === 201 ? res.body.data?.token : undefined;
  };

  const userLoop = async (account: (typeof accounts)[number], index: number) => {
    const userRng = rng.fork(`user-${index}`);
    const client = new ApiClient(options.server, stats, userRng.pick(agents));
    const think = (min: number, max: number) => sleep(userRng.range(min, max) * pace);
    await sleep(index * 300 * pace); // users arrive one after another
    if (account.signUp) {
      const body = {
        email: account.email,
        password: account.password,
        username: account.email.split("@")[0],
        full_name: `Traffic User ${index + 1}`,
      };
      // Sign-up is by invitation by default: the admin account, when given, invites this user first.
      const token = await invite(account.email);
      const res = await client.call(
        "POST /auth/signup",
        { body: token ? { ...body, invite_token: token } : body },
        { auth: false },
      );
      if (res.status !== 201 && res.status !== 409) return; // e.g. rate limited: this user sits out
      if (res.status === 201) signedUp.add(account.email);
    }
    // Access tokens live 15 minutes (JWT_TTL_S): a long run signs in again before each session once it is old.
    let signedInAt = 0;
    const signIn = async () => {
      const login = await client.call(
        "POST /auth/login",
        { body: { email: account.email, password: account.password } },
        { auth: false },
      );
      if (!login.ok || login.status !== 200 || !login.body?.data?.access_token) return undefined;
      client.token = login.body.data.access_token;
      signedInAt = Date.now();
      return login.body.data;
    };
    const first = await signIn();
    if (!first) return;
    const role = first.role ?? "viewer";
    const isAdmin = role === "admin";
    const isOperator = isAdmin || role === "operator";
    // Like the dashboard: insights need an operator, API analytics an admin; other users never call them.
    const allowed = (path: string) =>
      (!path.startsWith("/api/v1/ai/") || isOperator) &&
      (!/^\/api\/v1\/analytics\/(requests|errors|user-activities|jobs)/.test(path) || isAdmin);
    summary.users += 1;
    await client.call("GET /auth/me", {});
    if (known.devices.length === 0) {
      const devices = await client.call("GET /devices", { query: { limit: 200 } });
      for (const d of (devices.ok && devices.body?.devices) || []) {
        known.devices.push(d.device_id);
        if (!known.sites.includes(d.site_id)) known.sites.push(d.site_id);
      }
      const sites = await client.call("GET /sites", {});
      for (const s of (sites.ok && sites.body?.sites) || [])
        if (!known.sites.includes(s.site_id)) known.sites.push(s.site_id);
    }

    for (
      let session = 0;
      Date.now() < deadline && session < (options.sessionsPerUser ?? Number.POSITIVE_INFINITY);
      session++
    ) {
      if (Date.now() - signedInAt > TOKEN_REFRESH_MS && !(await signIn())) return;
      summary.sessions += 1;
      const sessionId = `sess-${randomBytes(6).toString("hex")}`;
      const events: Event[] = [];
      const flush = async () => {
        if (events.length === 0) return;
        const batch = events.splice(0);
        const res = await client.call("POST /analytics/user-activity", { body: { events: batch } });
        if (res.ok && res.status === 201) summary.activitiesRecorded += res.body.data?.count ?? batch.length;
      };
      const pagesInSession = userRng.int(3, 9);
      let previous: { url: string; at: number } | undefined;
      // An operator opens the jobs page and starts a job now and then (about one a minute per run).
      if (
        options.jobs &&
        isOperator &&
        known.sites.length > 0 &&
        summary.jobsCreated < maxJobs &&
        (lastJobAt === 0 || Date.now() - lastJobAt > 60_000)
      ) {
        lastJobAt = Date.now();
        const site = userRng.pick(known.sites);
        await client.call("GET /jobs", { query: { limit: 50 } });
        events.push({ activity_type: "page_view", page_url: "/jobs", session_id: sessionId });
        events.push({ activity_type: "click", page_url: "/jobs", element_id: "btn-new-job", session_id: sessionId });
        await think(2000, 6000);
        const res = await client.call("POST /jobs", { body: jobRequest(userRng, site, summary.jobsCreated === 0) });
        events.push({
          activity_type: "form_submit",
          page_url: "/jobs/new",
          element_id: "job-create-form",
          session_id: sessionId,
          extra_data: { valid: res.status === 201, status: res.status },
        });
        if (res.ok && res.status === 201) {
          summary.jobsCreated += 1;
          const jobId = res.body?.data?.job_id;
          if (jobId) await client.call("GET /jobs/{job_id}", { params: { job_id: jobId } });
        }
        previous = { url: "/jobs", at: Date.now() };
      }
      for (let p = 0; p < pagesInSession && Date.now() < deadline; p++) {
        const candidates = pages.filter(
          (pg) =>
            (!pg.admin || isAdmin) &&
            (!pg.operator || isOperator) &&
            (pg.needs !== "device" || known.devices.length > 0) &&
            (pg.needs !== "site" || known.sites.length > 0),
        );
        const page = userRng.weighted(candidates.map((pg) => [pg, pg.weight] as const));
        const ids: Known = {
          ...known,
          device: known.devices.length ? userRng.pick(known.devices) : "pos-terminal-001",
          site: known.sites.length ? userRng.pick(known.sites) : "site-001",
        };
        const url = page.url(ids);
        const loadStart = Date.now();
        await Promise.all(
          page
            .api(ids)
            .filter(allowed)
            .map((path) => client.request("GET", path)),
        );
        if (previous)
          events.push({
            activity_type: "page_leave",
            page_url: previous.url,
            duration_ms: Date.now() - previous.at,
            session_id: sessionId,
          });
        events.push({
          activity_type: "page_view",
          page_url: url,
          duration_ms: Date.now() - loadStart,
          session_id: sessionId,
          extra_data: {
            referrer: previous?.url ?? null,
            viewport: userRng.pick(["1920x1080", "1440x900", "1366x768", "1024x768"]),
          },
        });
        summary.pageViews += 1;
        previous = { url, at: Date.now() };

        for (let a = userRng.int(1, 4); a > 0 && Date.now() < deadline; a--) {
          await think(400, 2500);
          const kind = userRng.weighted([
            ["click", 6],
            ["search", page.searches ? 3 : 0],
            ["form_submit", page.forms ? 1.5 : 0],
            ["client_error", 0.6],
            ["frontend_error", 0.35],
          ] as const);
          if (kind === "click") {
            const element = userRng.pick(page.clicks);
            events.push({
              activity_type: "click",
              page_url: url,
              element_id: element === "device-row" ? `device-row-${ids.device}` : element,
              session_id: sessionId,
            });
            if (element.startsWith("btn-refresh") || element.startsWith("tab-") || element.startsWith("filter-"))
              await Promise.all(
                page
                  .api(ids)
                  .filter(allowed)
                  .slice(0, 2)
                  .map((path) => client.request("GET", path)),
              );
          } else if (kind === "search" && page.searches) {
            const query = userRng.pick(page.searches(ids));
            const t = Date.now();
            await client.call("GET /devices", { query: { limit: 100, search: query } });
            events.push({
              activity_type: "search",
              page_url: url,
              search_query: query,
              duration_ms: Date.now() - t,
              session_id: sessionId,
            });
          } else if (kind === "form_submit" && page.forms) {
            const form = userRng.pick(page.forms);
            const valid = userRng.chance(0.8);
            events.push({
              activity_type: "form_submit",
              page_url: url,
              element_id: form,
              session_id: sessionId,
              extra_data: { valid, fields: userRng.int(2, 7) },
            });
            if (!valid)
              events.push({
                activity_type: "form_error",
                page_url: url,
                element_id: form,
                session_id: sessionId,
                extra_data: {
                  field: userRng.pick(["name", "open_time", "priority", "config_url"]),
                  message: "This field is required",
                },
              });
          } else if (kind === "client_error") {
            summary.clientErrorsMade += 1;
            const mistake = userRng.int(0, 3);
            if (mistake === 0)
              await client.request("GET", `/api/v1/devices/${ids.device}-old`); // stale bookmark: 404
            else if (mistake === 1)
              await client.request("POST", "/api/v1/analytics/user-activity", {
                body: { events: [{ page_url: url }] },
              }); // missing activity_type: 4xx
            else if (mistake === 2)
              await client.request("GET", "/api/v1/auth/me", { auth: false }); // expired session: 401
            else
              await client.request("POST", "/api/v1/analytics/user-activity", {
                rawBody: '{"events": [',
                headers: { "content-type": "application/json" },
              }); // truncated JSON: 400
          } else if (kind === "frontend_error") {
            const e = userRng.pick(frontendErrors);
            const res = await client.call("POST /analytics/errors", {
              body: {
                errors: [
                  {
                    error_message: e.message,
                    severity: e.severity,
                    stack_trace: e.stack,
                    page_url: url,
                    context: { session_id: sessionId, user_agent: client.userAgent },
                  },
                ],
              },
            });
            if (res.ok && res.status === 201) summary.frontendErrorsReported += res.body.data?.count ?? 1;
            events.push({
              activity_type: "error",
              page_url: url,
              session_id: sessionId,
              extra_data: { message: e.message },
            });
          }
          if (events.length >= 10) await flush();
        }
        await think(800, 4000);
      }
      if (previous)
        events.push({
          activity_type: "page_leave",
          page_url: previous.url,
          duration_ms: Date.now() - previous.at,
          session_id: sessionId,
        });
      await flush();
      await think(1000, 5000); // between sessions
    }
  };

  try {
    await Promise.all(accounts.map((a, i) => userLoop(a, i)));
  } finally {
    clearInterval(progress);
    // The run's users sign in no more: an admin account disables them (their activity stays, by name).
    const admin = options.keepUsers ? undefined : await inviter;
    const disabled = admin ? await disableTrafficUsers(admin, runId) : [];
    summary.usersDisabled = disabled.length;
    summary.usersLeft = [...signedUp].filter((e) => !disabled.includes(e)).sort();
  }
  sync();
  return summary;
}
