import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

const MACHINE_ID_FILES = ["/etc/machine-id", "/var/lib/dbus/machine-id"];

/**
 * A stable identity of this machine that survives renaming the host: the systemd machine-id, hashed with our own
 * key (machine-id(5) asks applications not to expose the raw value). Null where there is no machine-id.
 */
export function machineIdentity(files: readonly string[] = MACHINE_ID_FILES): string | null {
  for (const file of files) {
    try {
      const id = readFileSync(file, "utf8").trim().toLowerCase();
      if (/^[0-9a-f]{32}$/.test(id))
        return createHash("sha256").update(`homepot-agent:${id}`).digest("hex").slice(0, 32);
    } catch {
      // Not on this system; try the next place.
    }
  }
  return null;
}

/** The device id `register` uses by default: from the machine identity, else (no machine-id) the host name. */
export function defaultDeviceId(identity: string | null = machineIdentity()): string {
  if (identity) return `device-${identity.slice(0, 12)}`;
  return (
    hostname()
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^[^a-z0-9]+/, "") || "device"
  );
}
