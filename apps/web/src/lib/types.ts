/**
 * The API's resource shapes as the dashboard reads them (SPEC §3, snake_case). Where packages/contracts has a
 * schema the type comes from it; the rest are written here from the SPEC and kept tolerant (optional fields)
 * so a page keeps working while the server grows.
 */

export interface Site {
  id?: number;
  site_id: string;
  name: string;
  description?: string | null;
  location?: string | null;
  is_active?: boolean;
  device_count?: number;
  created_at?: string;
  updated_at?: string;
}

export type DeviceStatus = "online" | "offline" | "error" | "maintenance" | string;

export interface Device {
  id?: number;
  device_id: string;
  site_id: string;
  site_name?: string | null;
  name: string;
  device_type: string;
  status: DeviceStatus;
  ip_address?: string | null;
  config?: Record<string, unknown> | null;
  is_active?: boolean;
  is_simulated?: boolean;
  segment?: string | null;
  firmware_version?: string | null;
  last_seen?: string | null;
  tags?: string[];
  created_at?: string;
  updated_at?: string;
}

export interface Schedule {
  id?: number;
  site_id: string;
  day_of_week: number;
  open_time?: string | null;
  close_time?: string | null;
  is_closed?: boolean;
  is_maintenance_window?: boolean;
  peak_hours_start?: string | null;
  peak_hours_end?: string | null;
  expected_transaction_volume?: number | null;
  notes?: string | null;
}

export interface Command {
  command_id: string;
  device_id: string;
  command_type: string;
  payload?: Record<string, unknown> | null;
  status: string;
  result?: unknown;
  error_message?: string | null;
  created_at: string;
  sent_at?: string | null;
  completed_at?: string | null;
  expires_at?: string | null;
  created_by?: string | null;
}

export interface Job {
  id?: number;
  job_id: string;
  action: string;
  description?: string | null;
  site_id?: string | null;
  segment?: string | null;
  device_ids?: string[] | null;
  priority?: string | number;
  status: string;
  config_url?: string | null;
  config_version?: string | null;
  payload?: Record<string, unknown> | null;
  rollout?: Record<string, unknown> | null;
  scheduled_at?: string | null;
  created_at: string;
  started_at?: string | null;
  completed_at?: string | null;
  created_by?: string | null;
  progress?: { total?: number; succeeded?: number; failed?: number; pending?: number; [k: string]: unknown } | null;
  devices?: JobDevice[];
  outcomes?: Record<string, unknown>[];
  [k: string]: unknown;
}

export interface JobDevice {
  device_id: string;
  status: string;
  stage?: number | null;
  started_at?: string | null;
  completed_at?: string | null;
  error_message?: string | null;
  result?: unknown;
  [k: string]: unknown;
}

export interface HealthCheck {
  id?: number;
  device_id?: string;
  timestamp: string;
  is_healthy?: boolean;
  status?: string;
  response_time_ms?: number | null;
  status_code?: number | null;
  endpoint?: string | null;
  error_message?: string | null;
  response_data?: unknown;
  [k: string]: unknown;
}

export interface StateChange {
  id?: number;
  device_id?: string;
  timestamp: string;
  previous_state?: string | null;
  new_state: string;
  changed_by?: string | null;
  reason?: string | null;
  [k: string]: unknown;
}

export interface ConfigChange {
  id?: number;
  timestamp: string;
  entity_type?: string;
  entity_id?: string;
  config_key?: string;
  old_value?: unknown;
  new_value?: unknown;
  changed_by?: string | null;
  change_type?: string | null;
  performance_before?: Record<string, unknown> | null;
  performance_after?: Record<string, unknown> | null;
  was_successful?: boolean | null;
  rollback_reason?: string | null;
  [k: string]: unknown;
}
