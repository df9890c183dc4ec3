import { devices } from "@homepot/db";
import { type SQL, sql } from "drizzle-orm";
import type { DeviceRow } from "./device.repository.ts";

/** A health the fleet counts: a device's four states, or `unknown` before its first report. */
export type FleetHealth = DeviceRow["healthState"] | "unknown";

/**
 * A device's health as the fleet sees it, the one definition the Overview's counts (`/dashboard/summary`,
 * `/sites/{id}/stats`) and the device list's `health_state` filter share: only lifecycle-active devices are in
 * service and have one (null otherwise); `unknown` until the device first reported, else its health_state.
 */
export const fleetHealth: SQL<FleetHealth | null> = sql<FleetHealth | null>`case
  when ${devices.lifecycleState} <> 'active' then null
  when ${devices.lastSeen} is null then 'unknown'
  else ${devices.healthState}::text end`;

/** Devices whose fleet health is `state`. */
export const fleetHealthIs = (state: FleetHealth): SQL => sql`(${fleetHealth}) = ${state}`;
