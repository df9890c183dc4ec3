import type { SiteActivity } from "./site-activity.ts";

/**
 * Benign events: things that happen in every shop, look unusual to a naive detector and must NOT raise an alarm.
 * Their ground truth is recorded like a fault's, so the backtest can count the alarms they drew.
 * - `opening_rush`: a rush beyond the daily curve (the store-opening rush, a promotion): the whole site sells
 *   `RUSH_SALES`× its usual rate and its load rises by `RUSH_LOAD`× for a while.
 * - `closing_quiet`: the whole site closes (early) and goes quiet: no sales, idle load, every device still reporting.
 * - `planned_restart`: a planned REBOOT (a maintenance job's): the device is silent for its reboot and its CPU
 *   surges for `BOOT_SURGE_MS` while the services start.
 * - `config_blip`: a good configuration applied by a config job: the app restarts and runs slower for
 *   `CONFIG_BLIP_MS` (cold caches) before settling.
 */
export type BenignEventKind = "opening_rush" | "closing_quiet" | "planned_restart" | "config_blip";
export const benignEventKinds: readonly BenignEventKind[] = [
  "opening_rush",
  "closing_quiet",
  "planned_restart",
  "config_blip",
];

export interface BenignEvent {
  kind: BenignEventKind;
  siteId: string;
  /** Null for a site-wide event. */
  deviceId: string | null;
  at: Date;
  /** When its visible effect ends. */
  until: Date;
}

export const RUSH_SALES = 2.2;
export const RUSH_LOAD = 1.6;
export const BOOT_SURGE_MS = 3 * 60_000;
export const CONFIG_BLIP_MS = 2 * 60_000;

/** The site's activity with a site-wide benign event on top (unchanged outside the event). */
export function applySiteEvent(activity: SiteActivity, event: BenignEvent | undefined, at: Date): SiteActivity {
  if (!event || at < event.at || at >= event.until) return activity;
  if (event.kind === "closing_quiet")
    return { ...activity, open: false, peak: false, transactionsPerMinute: 0, load: 0 };
  if (event.kind === "opening_rush" && activity.open)
    return {
      ...activity,
      transactionsPerMinute: activity.transactionsPerMinute * RUSH_SALES,
      load: Math.min(1.3, activity.load * RUSH_LOAD),
    };
  return activity;
}
