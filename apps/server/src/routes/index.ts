import type { FastifyInstance } from "fastify";
import { agentReportRoutes } from "./agent/agent-reports.routes.ts";
import { deviceReportRoutes } from "./agent/device-reports.routes.ts";
import { aiRoutes } from "./ai/ai.routes.ts";
import { askRoutes } from "./ai/ask.routes.ts";
import { analyticsQueryRoutes } from "./analytics/analytics.routes.ts";
import { analyticsExportRoutes } from "./analytics/export.routes.ts";
import { analyticsIntakeRoutes } from "./analytics/intake.routes.ts";
import { authRoutes } from "./auth/auth.routes.ts";
import { commandRoutes } from "./commands/commands.routes.ts";
import { deviceCommandRoutes } from "./commands/device-commands.routes.ts";
import { permissionRoutes } from "./commands/permissions.routes.ts";
import { dashboardRoutes } from "./dashboard/dashboard.routes.ts";
import { deviceHealthRoutes } from "./devices/device-health.routes.ts";
import { deviceHistoryRoutes } from "./devices/device-history.routes.ts";
import { deviceRoutes } from "./devices/devices.routes.ts";
import { healthRoutes } from "./health/health.routes.ts";
import { jobsRoutes } from "./jobs/jobs.routes.ts";
import { releaseRoutes } from "./releases/releases.routes.ts";
import { scheduleRoutes } from "./schedules/schedules.routes.ts";
import { siteRoutes } from "./sites/sites.routes.ts";
import { telemetryRoutes } from "./telemetry/telemetry.routes.ts";
import { userRoutes } from "./users/users.routes.ts";

/** Every feature's routes; a URL leads to one file under routes/<feature>/. */
export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
  await app.register(authRoutes, { prefix: "/api/v1/auth" });
  await app.register(userRoutes, { prefix: "/api/v1/users" });
  await app.register(analyticsIntakeRoutes, { prefix: "/api/v1/analytics" });
  await app.register(commandRoutes, { prefix: "/api/v1" });
  await app.register(deviceCommandRoutes, { prefix: "/api/v1" });
  await app.register(aiRoutes, { prefix: "/api/v1/ai" });
  await app.register(askRoutes, { prefix: "/api/v1/ai" });
  await app.register(analyticsQueryRoutes, { prefix: "/api/v1/analytics" });
  await app.register(analyticsExportRoutes, { prefix: "/api/v1/analytics" });
  await app.register(siteRoutes, { prefix: "/api/v1/sites" });
  await app.register(scheduleRoutes, { prefix: "/api/v1/sites" });
  await app.register(deviceRoutes, { prefix: "/api/v1/devices" });
  await app.register(deviceHealthRoutes, { prefix: "/api/v1/devices" });
  await app.register(deviceHistoryRoutes, { prefix: "/api/v1/devices" });
  await app.register(telemetryRoutes, { prefix: "/api/v1/analytics" });
  await app.register(deviceReportRoutes, { prefix: "/api/v1/devices" });
  await app.register(permissionRoutes, { prefix: "/api/v1/devices" });
  await app.register(agentReportRoutes, { prefix: "/api/v1/agent" });
  await app.register(jobsRoutes, { prefix: "/api/v1/jobs" });
  await app.register(dashboardRoutes, { prefix: "/api/v1/dashboard" });
  await app.register(releaseRoutes, { prefix: "/api/v1/releases" });
}
