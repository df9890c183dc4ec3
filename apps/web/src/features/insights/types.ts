/** Shapes of the insights API (/api/v1/ai), read tolerantly: every number comes with its factors and sample size. */

export interface HealthFactor {
  factor: string;
  label?: string;
  value: number | null;
  unit?: string;
  weight?: number;
  penalty?: number;
  status?: string;
  samples?: number;
  detail?: string;
}
export interface RiskFactor {
  factor: string;
  probability?: number;
  value?: number | null;
  unit?: string;
  detail?: string;
  samples?: number;
}
export interface HealthScore {
  /** scored | failed | no_data | waiting_for_first_contact */
  state?: string;
  score: number | null;
  grade?: string;
  confidence?: number;
  factors?: HealthFactor[];
  trends?: {
    metric: string;
    current: number | null;
    slope_per_hour: number | null;
    direction: string;
    samples: number;
  }[];
  sample_size?: Record<string, number>;
}
export interface FailureRisk {
  /** assessed | failed | waiting_for_first_contact */
  state?: string;
  probability: number;
  risk_level: string;
  level_reason?: string | null;
  confidence?: number;
  horizon_hours?: number;
  estimated_failure_at?: string | null;
  /** "not enough data yet (needs N more minutes)" when resource trends were not projected. */
  trend_note?: string | null;
  factors?: RiskFactor[];
  sample_size?: Record<string, number>;
}
export interface DeviceInsights {
  device_id: string;
  site_id?: string;
  status?: string;
  generated_at?: string;
  health: HealthScore;
  failure_risk: FailureRisk;
}
export interface AtRiskDevice {
  device_id: string;
  site_id?: string;
  status?: string;
  state?: string;
  probability: number;
  risk_level: string;
  level_reason?: string | null;
  confidence?: number;
  estimated_failure_at?: string | null;
  top_factors?: RiskFactor[];
}
export interface Anomaly {
  alert_id?: number;
  id?: number;
  kind: string;
  severity: string;
  device_id?: string | null;
  site_id?: string | null;
  metric?: string | null;
  title: string;
  score?: number | null;
  detected_at?: string;
  first_detected_at?: string;
  occurrences?: number;
  details?: Record<string, unknown>;
}

export const pct = (p: number | null | undefined) => (p === null || p === undefined ? "—" : `${Math.round(p * 100)}%`);
export const samplesText = (s: Record<string, number> | undefined) =>
  s
    ? Object.entries(s)
        .map(([k, v]) => `${v} ${k.replace(/_/g, " ")}`)
        .join(", ")
    : "";
