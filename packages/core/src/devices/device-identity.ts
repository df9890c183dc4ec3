import { randomBytes } from "node:crypto";
import { type Db, devices } from "@homepot/db";
import { and, eq, ne, sql } from "drizzle-orm";
import { ConflictError } from "../errors.ts";
import { anyRow } from "../rows.ts";

/** A server-chosen device id when the client sends none: the type (dashed) and 8 random hex, e.g. `pos-terminal-1a2b3c4d`. */
export function generateDeviceId(deviceType: string): string {
  const stem =
    deviceType
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "device";
  return `${stem}-${randomBytes(4).toString("hex")}`;
}

/** True when no other live device of the site has this name, ignoring case (the unique index's rule). */
export async function isDeviceNameFree(db: Db, siteId: string, name: string, exceptRowId?: number): Promise<boolean> {
  const taken = await anyRow(
    db,
    devices,
    and(
      eq(devices.siteId, siteId),
      eq(devices.isActive, true),
      sql`lower(${devices.name}) = lower(${name.trim()})`,
      exceptRowId === undefined ? undefined : ne(devices.id, exceptRowId),
    ),
  );
  return !taken;
}

export async function assertDeviceNameFree(db: Db, siteId: string, name: string, exceptRowId?: number): Promise<void> {
  if (!(await isDeviceNameFree(db, siteId, name, exceptRowId)))
    throw new ConflictError(
      `name "${name.trim()}" is already used by another device at site ${siteId} (names are unique per site)`,
    );
}
