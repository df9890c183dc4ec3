import { queueCommand } from "../commands/queue-command.ts";
import type { Context } from "../context.ts";
import { type BenignEvent, type BenignEventKind, BOOT_SURGE_MS, CONFIG_BLIP_MS } from "../simulator/benign-events.ts";
import type { FaultRecord, Fleet } from "../simulator/fleet.ts";
import type { Rng } from "../simulator/random.ts";
import { HOUR_MS, MINUTE_MS } from "./models/series.ts";

/**
 * The benign events of one backtest run, drawn from the seed: a rush at one site, another site closing early
 * (quiet to the end), two planned reboots and two good configuration updates on devices without a fault. The
 * device events go through the server as a job would send them (REBOOT, UPDATE_CONFIG queued as commands).
 */

export interface PlannedBenign {
  kind: BenignEventKind;
  at: number;
  siteId: string;
  deviceId: string | null;
  durationMs: number;
}

export function planBenignEvents(
  rng: Rng,
  o: { siteIds: readonly string[]; calmDeviceIds: readonly string[]; from: number; end: number; stepMs: number },
): PlannedBenign[] {
  const at = (from: number, to: number) =>
    from + Math.floor((rng.next() * Math.max(0, to - from)) / o.stepMs) * o.stepMs;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.next() * xs.length)] as T;
  const out: PlannedBenign[] = [];
  const rushSite = pick(o.siteIds);
  const rushMs = (30 + Math.floor(rng.next() * 4) * 5) * MINUTE_MS;
  out.push({
    kind: "opening_rush",
    at: at(o.from, o.end - rushMs),
    siteId: rushSite,
    deviceId: null,
    durationMs: rushMs,
  });
  const quietSites = o.siteIds.length > 1 ? o.siteIds.filter((s) => s !== rushSite) : o.siteIds;
  const quietAt = at(Math.max(o.from, o.end - 2 * HOUR_MS), o.end - 30 * MINUTE_MS);
  out.push({
    kind: "closing_quiet",
    at: quietAt,
    siteId: pick(quietSites),
    deviceId: null,
    durationMs: o.end - quietAt,
  });
  const calm = [...o.calmDeviceIds];
  for (const kind of ["planned_restart", "planned_restart", "config_blip", "config_blip"] as const) {
    if (calm.length === 0) break;
    const deviceId = calm.splice(Math.floor(rng.next() * calm.length), 1)[0] as string;
    const durationMs = kind === "planned_restart" ? BOOT_SURGE_MS + 2 * MINUTE_MS : CONFIG_BLIP_MS;
    out.push({ kind, at: at(o.from, o.end - 30 * MINUTE_MS), siteId: "", deviceId, durationMs });
  }
  return out;
}

/** Starts the benign events due at `now` (site events on the fleet, device events as commands through the server). */
export async function startBenignEvents(
  ctx: Context,
  fleet: Fleet,
  planned: readonly PlannedBenign[],
  now: number,
): Promise<void> {
  for (const e of planned) {
    if (e.at !== now) continue;
    if (e.kind === "opening_rush" || e.kind === "closing_quiet") {
      fleet.startSiteEvent(e.siteId, e.kind, e.durationMs);
      continue;
    }
    const deviceId = e.deviceId as string;
    const planned = e.kind === "planned_restart";
    await queueCommand(ctx, {
      deviceId,
      commandType: planned ? "REBOOT" : "UPDATE_CONFIG",
      payload: planned
        ? { reason: "planned maintenance" }
        : { config_version: `1.1.${now / MINUTE_MS}`, config_url: "https://config.example/good.json" },
    });
    fleet.noteBenignEvent(deviceId, e.kind, e.durationMs);
    fleet.notifyCommand(deviceId);
  }
}

export interface BenignOutcome {
  kind: BenignEventKind;
  site_id: string;
  device_id: string | null;
  at: string;
  until: string;
  /** False alarms per method on the event's devices from its start to 15 minutes after it ends. */
  alarms: Record<string, number>;
}

/** Which false alarms each benign event drew (on its device, or any device of its site for a site event). */
export function scoreBenignEvents(
  events: readonly BenignEvent[],
  falseAlarms: readonly { deviceId: string; method: string; at: number }[],
  siteOf: (deviceId: string) => string | undefined,
): BenignOutcome[] {
  return events.map((e) => {
    const alarms: Record<string, number> = {};
    for (const a of falseAlarms) {
      const mine = e.deviceId ? a.deviceId === e.deviceId : siteOf(a.deviceId) === e.siteId;
      if (mine && a.at >= e.at.getTime() && a.at <= e.until.getTime() + 15 * MINUTE_MS)
        alarms[a.method] = (alarms[a.method] ?? 0) + 1;
    }
    return {
      kind: e.kind,
      site_id: e.siteId,
      device_id: e.deviceId,
      at: e.at.toISOString(),
      until: e.until.toISOString(),
      alarms,
    };
  });
}

export interface NearestEvent {
  /** A benign event's kind, or an injected fault's kind prefixed "fault:". */
  kind: string;
  at: string;
  until: string | null;
  /** Minutes from the event's start to the alarm (negative: the alarm came before it). */
  minutes_after_start: number;
}

/**
 * The benign event or injected fault closest in time to an alarm among those that touched its device (a device
 * event on it, a site event on its site, a fault on it): 0 apart while the event lasts. Null when none did.
 */
export function nearestEvent(
  alarm: { deviceId: string; at: number },
  events: readonly BenignEvent[],
  faults: readonly FaultRecord[],
  siteOf: (deviceId: string) => string | undefined,
): NearestEvent | null {
  const site = siteOf(alarm.deviceId);
  const candidates = [
    ...events
      .filter((e) => (e.deviceId ? e.deviceId === alarm.deviceId : e.siteId === site))
      .map((e) => ({ kind: e.kind as string, at: e.at.getTime(), until: e.until.getTime() as number | null })),
    ...faults
      .filter((f) => f.deviceId === alarm.deviceId)
      .map((f) => ({
        kind: `fault:${f.kind}`,
        at: f.injectedAt.getTime(),
        until: (f.clearedAt ?? f.failedAt)?.getTime() ?? null,
      })),
  ];
  const distance = (c: { at: number; until: number | null }) =>
    alarm.at < c.at ? c.at - alarm.at : c.until !== null && alarm.at > c.until ? alarm.at - c.until : 0;
  let best: (typeof candidates)[number] | undefined;
  for (const c of candidates) if (!best || distance(c) < distance(best)) best = c;
  if (!best) return null;
  return {
    kind: best.kind,
    at: new Date(best.at).toISOString(),
    until: best.until === null ? null : new Date(best.until).toISOString(),
    minutes_after_start: Math.round((alarm.at - best.at) / MINUTE_MS),
  };
}
