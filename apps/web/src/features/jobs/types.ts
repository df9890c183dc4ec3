export interface JobView {
  job_id: string;
  action: string;
  job_type?: string;
  description?: string | null;
  status: string;
  priority?: string;
  site_id?: string | null;
  segment?: string | null;
  device_ids?: string[] | null;
  config_url?: string | null;
  config_version?: string | null;
  payload?: unknown;
  rollout?: unknown;
  rollback_on_degradation?: boolean;
  error_message?: string | null;
  created_by?: number | string | null;
  created_at: string;
  scheduled_at?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
}
export interface JobProgress {
  total: number;
  pending: number;
  sent: number;
  succeeded: number;
  failed: number;
  skipped?: number;
  cancelled?: number;
}
export interface JobDeviceView {
  device_id: string;
  batch?: number;
  status: string;
  command_id?: string | null;
  attempts?: number;
  error_code?: string | null;
  error_message?: string | null;
  started_at?: string | null;
  finished_at?: string | null;
}
export type JobDetail = JobView & { progress?: JobProgress; devices?: JobDeviceView[] };

export const TERMINAL = new Set(["completed", "failed", "partial", "cancelled"]);
