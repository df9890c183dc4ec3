import type { RequestLogWriter } from "@homepot/core";
import { commandBus } from "@homepot/core/commands/command-bus";
import type { Database, ReadRouter } from "@homepot/db";
import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Prometheus metrics of one app instance (its own registry, so tests can build many apps). */
export function registerMetrics(
  app: FastifyInstance,
  database: Database,
  requestLogs?: RequestLogWriter,
  reads?: ReadRouter,
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "homepot_", eventLoopMonitoringPrecision: 20 });
  const requests = new Counter({
    name: "homepot_http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "homepot_http_request_duration_seconds",
    help: "HTTP request latency by method and route",
    labelNames: ["method", "route"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const pool = database.pool;
  new Gauge({
    name: "homepot_db_pool_connections",
    help: "Database connections by state (the node-postgres pool; PGlite is one in-process connection)",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      if (!pool) {
        this.set({ state: "total" }, 1);
        this.set({ state: "waiting" }, 0);
        return;
      }
      this.set({ state: "total" }, pool.totalCount);
      this.set({ state: "idle" }, pool.idleCount);
      this.set({ state: "waiting" }, pool.waitingCount);
    },
  });
  new Gauge({
    name: "homepot_db_info",
    help: "Database driver in use",
    labelNames: ["driver"],
    registers: [registry],
    collect() {
      this.set({ driver: database.driver }, 1);
    },
  });

  if (reads?.configured) {
    new Gauge({
      name: "homepot_read_replica_in_use",
      help: "1 while lag-tolerant reads go to the read replica (DATABASE_READ_URL), 0 while they fall back to the primary",
      labelNames: ["state"],
      registers: [registry],
      collect() {
        this.reset();
        const { state } = reads.status;
        this.set({ state }, state === "ok" ? 1 : 0);
      },
    });
    new Gauge({
      name: "homepot_read_replica_lag_seconds",
      help: "How far the read replica is behind the primary at the last check (-1: unknown, e.g. down)",
      registers: [registry],
      collect() {
        this.set(reads.status.lagS ?? -1);
      },
    });
    new Gauge({
      name: "homepot_read_replica_fallbacks",
      help: "Times reads fell back to the primary because the replica was down or lagging, since start",
      registers: [registry],
      collect() {
        this.set(reads.status.fallbacks);
      },
    });
  }

  if (requestLogs) {
    new Gauge({
      name: "homepot_request_log_pending",
      help: "api_request_logs rows buffered, not yet written",
      registers: [registry],
      collect() {
        this.set(requestLogs.pending);
      },
    });
    new Gauge({
      name: "homepot_request_log_written",
      help: "api_request_logs rows written since start",
      registers: [registry],
      collect() {
        this.set(requestLogs.written);
      },
    });
    new Gauge({
      name: "homepot_request_log_dropped",
      help: "api_request_logs rows shed because the writer's bounded buffer was full (database slow or unreachable)",
      registers: [registry],
      collect() {
        this.set(requestLogs.dropped);
      },
    });
  }

  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions?.url ?? "unmatched";
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });

  // Command queue flow, from the in-process bus (this instance's queuing and reports).
  const commands = new Counter({
    name: "homepot_commands_total",
    help: "Device commands by event (queued, finished) and final status",
    labelNames: ["event", "command_type", "status"],
    registers: [registry],
  });
  const offQueued = commandBus.on(
    "queued",
    (e) => void commands.inc({ event: "queued", command_type: e.commandType, status: "pending" }),
  );
  const offFinished = commandBus.on(
    "finished",
    (e) => void commands.inc({ event: "finished", command_type: e.commandType, status: e.status }),
  );
  app.addHook("onClose", async () => {
    offQueued();
    offFinished();
  });

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    reply.header("content-type", registry.contentType);
    return registry.metrics();
  });
  return registry;
}
