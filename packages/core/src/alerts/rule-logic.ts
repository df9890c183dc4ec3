import type { RuleScopeValue } from "@homepot/contracts/alerts";

/** What a rule's scope is matched against. */
export interface DeviceFacts {
  deviceId: string;
  siteId: string;
  segment: string;
  tags: readonly string[];
}

/** Whether a device is inside a rule's scope (every non-empty list must match). */
export function inScope(scope: Partial<RuleScopeValue>, d: DeviceFacts): boolean {
  if (scope.device_ids?.length && !scope.device_ids.includes(d.deviceId)) return false;
  if (scope.site_ids?.length && !scope.site_ids.includes(d.siteId)) return false;
  if (scope.segments?.length && !scope.segments.includes(d.segment)) return false;
  if (scope.tags?.length && !scope.tags.some((t) => d.tags.includes(t))) return false;
  return true;
}

/** Whether a scope only names sites (or nothing), so events without a device (jobs) can match it. */
export function siteInScope(scope: Partial<RuleScopeValue>, siteId: string | null): boolean {
  if (scope.device_ids?.length || scope.segments?.length || scope.tags?.length) return false;
  return !scope.site_ids?.length || (siteId !== null && scope.site_ids.includes(siteId));
}

/** Whether a metric value breaks a threshold condition. */
export function breaches(c: { operator: "above" | "below"; value: number }, v: number): boolean {
  return c.operator === "above" ? v > c.value : v < c.value;
}

export const SEVERITY_RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };
