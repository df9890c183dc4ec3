import type { PgTable } from "drizzle-orm/pg-core";
import * as s from "./schema/index.ts";

/** The 14 tables of the product's data set (SPEC §2), by their SQL names, in the seeds' order. */
export const productTables = {
  sites: s.sites,
  devices: s.devices,
  users: s.users,
  jobs: s.jobs,
  health_checks: s.healthChecks,
  audit_logs: s.auditLogs,
  api_request_logs: s.apiRequestLogs,
  user_activities: s.userActivities,
  device_state_history: s.deviceStateHistory,
  job_outcomes: s.jobOutcomes,
  error_logs: s.errorLogs,
  device_metrics: s.deviceMetrics,
  configuration_history: s.configurationHistory,
  site_operating_schedules: s.siteOperatingSchedules,
} satisfies Record<string, PgTable>;

export type ProductTableName = keyof typeof productTables;
export const productTableNames = Object.keys(productTables) as ProductTableName[];

/** Every table the product owns, including the supporting ones (commands, rollups, alerts…). */
export const allTables = {
  ...productTables,
  device_commands: s.deviceCommands,
  job_devices: s.jobDevices,
  device_metric_rollups: s.deviceMetricRollups,
  api_request_rollups: s.apiRequestRollups,
  alerts: s.alerts,
  app_state: s.appState,
} satisfies Record<string, PgTable>;
export type TableName = keyof typeof allTables;
