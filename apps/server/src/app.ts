import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import { type Clock, type Config, RequestLogWriter, systemClock, systemContext } from "@homepot/core";
import { AlertEngine } from "@homepot/core/alerts/alert-engine";
import { LiveAnomalyDetectors } from "@homepot/core/insights/live-anomalies";
import { SecretVault } from "@homepot/core/notifications/vault";
import { openReleaseStore, type ReleaseStore } from "@homepot/core/releases/release-store";
import { type Database, ReadRouter } from "@homepot/db";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions, LogController } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { InsightsRunner } from "./insights-process/runner.ts";
import { registerAuth, TokenService } from "./plugins/auth.ts";
import { registerBrowserSecurity } from "./plugins/browser-security.ts";
import { registerDeviceAuth } from "./plugins/device-auth.ts";
import { registerErrorHandling } from "./plugins/errors.ts";
import { registerMetrics } from "./plugins/metrics.ts";
import { registerOpenApi } from "./plugins/openapi.ts";
import { registerRequestLog } from "./plugins/request-log.ts";
import { registerDashboard } from "./plugins/static.ts";
import { registerTargetCheck } from "./plugins/targets.ts";
import { registerTelemetry } from "./plugins/telemetry.ts";
import { registerViewerRedaction } from "./plugins/viewer-redaction.ts";
import { registerRoutes } from "./routes/index.ts";

export interface AppDeps {
  config: Config;
  database: Database;
  /** A streaming replica of `database` (DATABASE_READ_URL) for lag-tolerant reads. */
  readDatabase?: Database;
  clock?: Clock;
}

export interface BuildOptions {
  logger?: FastifyServerOptions["logger"];
  /** Where log lines go instead of stdout (main.ts: readable lines on a terminal). */
  logStream?: { write(chunk: string): void };
  /** Serve the built dashboard (default true; off in most tests). */
  dashboard?: boolean;
  /** Request-log flush interval (ms). */
  requestLogIntervalMs?: number;
  /** Record requests in api_request_logs (default true; off only to measure its cost in bench/). */
  requestLogging?: boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    deps: AppDeps & { clock: Clock };
    requestLogs: RequestLogWriter;
    /** Where lag-tolerant reads go: the read replica while it is healthy, else the primary. */
    reads: ReadRouter;
    /** The alert evaluator every context of this app emits its signals to. */
    alerts: AlertEngine;
    /** The streaming anomaly detector on every device metric as it arrives (GET /ai/anomalies/live). */
    liveAnomalies: LiveAnomalyDetectors;
    /** Seals and opens notification channels' secrets (key derived from the server's channel key). */
    alertVault: SecretVault;
    /** The release repository (opened on first use, so the release key is generated only when needed). */
    releaseStore: () => ReleaseStore;
    /** Where whole-fleet insights run: a helper process at a lower priority on PostgreSQL, else this thread. */
    insights: InsightsRunner;
  }
}

// Header values that must never reach a log line.
const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/** Builds the whole HTTP app around its dependencies; main.ts listens, tests use `app.inject`. */
export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const logger = options.logger ?? {
    level: deps.config.logLevel,
    redact: REDACT,
    ...(options.logStream ? { stream: options.logStream } : {}),
  };
  const app = Fastify({
    logger,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    // Per-request log lines would double the cost of ingest; api_request_logs records every request.
    logController: new LogController({
      disableRequestLogging: deps.config.logLevel !== "debug" && deps.config.logLevel !== "trace",
    }),
    return503OnClosing: true,
    // URLs the router rejects before any hook (bad escapes, over-long path parameters) get the same `{detail}` body.
    frameworkErrors: (error, _request, reply) => {
      const plain = reply as unknown as FastifyReply;
      if (error.code === "FST_ERR_MAX_PARAM_LENGTH")
        return plain.code(414).send({ detail: "A path parameter is too long" });
      return plain.code(400).send({ detail: "Malformed URL" });
    },
    forceCloseConnections: "idle",
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate("deps", { ...deps, clock: deps.clock ?? systemClock });
  app.decorateRequest("actor", undefined);
  app.decorateRequest("errorMessage", undefined);

  const writer = new RequestLogWriter(deps.database.db, app.log, { intervalMs: options.requestLogIntervalMs ?? 1000 });
  app.decorate("requestLogs", writer);
  const clock = deps.clock ?? systemClock;
  app.decorate("reads", new ReadRouter(deps.database, deps.readDatabase, deps.config.readMaxLagS, () => clock.now()));
  // Drain buffered request logs after in-flight requests finish, before the database closes.
  app.addHook("onClose", async () => writer.close());

  const liveAnomalies = new LiveAnomalyDetectors();
  app.decorate("liveAnomalies", liveAnomalies);
  const alerts = new AlertEngine(
    systemContext(deps.database.db, "alerts", { clock: deps.clock, logger: app.log.child({ task: "alerts" }) }),
    undefined,
    liveAnomalies,
  );
  app.decorate("alerts", alerts);
  app.decorate("alertVault", new SecretVault(deps.config.channelKey));
  const insights = new InsightsRunner({
    databaseUrl: deps.database.url,
    readUrl: deps.readDatabase?.url,
    enabled: deps.config.insightsProcess,
  });
  app.decorate("insights", insights);
  app.addHook("onClose", async () => insights.close());
  let releaseStore: ReleaseStore | undefined;
  app.decorate("releaseStore", () => {
    releaseStore ??= openReleaseStore(deps.config);
    return releaseStore;
  });
  app.addHook("onReady", async () => alerts.start());
  app.addHook("onClose", async () => alerts.close());

  registerErrorHandling(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await registerOpenApi(app);
  registerAuth(app, new TokenService(deps.config.jwtSecret, deps.config.jwtTtlS));
  registerTargetCheck(app);
  registerBrowserSecurity(app, deps.config.trustedOrigins);
  registerViewerRedaction(app);
  registerDeviceAuth(app);
  registerTelemetry(app);
  if (options.requestLogging !== false) registerRequestLog(app, writer);
  registerMetrics(app, deps.database, writer, app.reads);
  await registerRoutes(app);
  if (options.dashboard !== false) await registerDashboard(app);
  return app;
}
