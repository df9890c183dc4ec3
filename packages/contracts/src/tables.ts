/**
 * The 14 tables of the product's data set (SPEC §2), by their SQL names, in the seeds' order: the one list the
 * database package, the validation report, `homepot db count`, the export and the dashboard all read.
 */
export const PRODUCT_TABLE_NAMES = [
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
] as const;
export type ProductTableName = (typeof PRODUCT_TABLE_NAMES)[number];
