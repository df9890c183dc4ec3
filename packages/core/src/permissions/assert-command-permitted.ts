import type { Db } from "@homepot/db";
import { MissingPermissionsError } from "../errors.ts";
import { requiredPermissions } from "./grants.ts";
import { findDeviceGrants, flagsOf } from "./permissions.repository.ts";

/** Refuses (403 `missing_permissions`) a command whose grants the device's owner has not given. */
export async function assertCommandPermitted(
  db: Db,
  deviceId: string,
  commandType: string,
  payload: Record<string, unknown>,
): Promise<void> {
  const needed = requiredPermissions(commandType, payload);
  if (needed.length === 0) return;
  const grants = flagsOf((await findDeviceGrants(db, deviceId))?.grants);
  const missing = needed.filter((k) => !grants[k]);
  if (missing.length)
    throw new MissingPermissionsError(
      `Device ${deviceId} has not granted ${missing.join(", ")} (ask with a request_permission command)`,
      missing,
    );
}
