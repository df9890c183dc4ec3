import { EventBus } from "../event-bus.ts";
import type { DeviceRow } from "./device.repository.ts";

type LifecycleState = DeviceRow["lifecycleState"];

/** A device's lifecycle or archive flag changed (or it was purged: `purged`). */
export interface DeviceLifecycleChanged {
  deviceId: string;
  siteId: string;
  lifecycleState: LifecycleState;
  /** False: archived (soft-deleted); purged devices are gone. */
  isActive: boolean;
  purged?: boolean;
}

export interface LifecycleEvents {
  changed: DeviceLifecycleChanged;
}

/** The process-wide bus lifecycle use cases emit on after they commit (the in-process simulator listens). */
export const lifecycleBus = new EventBus<LifecycleEvents>();

/** Emits `changed` for each device row (after the transaction that changed them committed). */
export function announce(
  rows: Array<{ deviceId: string; siteId: string; lifecycleState: LifecycleState; isActive: boolean }>,
  extra: { purged?: boolean } = {},
): void {
  for (const r of rows)
    lifecycleBus.emit("changed", {
      deviceId: r.deviceId,
      siteId: r.siteId,
      lifecycleState: r.lifecycleState,
      isActive: r.isActive,
      ...extra,
    });
}
