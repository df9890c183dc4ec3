import type { devices } from "@homepot/db";

type DeviceVersions = Pick<typeof devices.$inferSelect, "configVersion" | "firmwareVersion" | "softwareVersion">;
interface VersionReport {
  config_version?: string | null | undefined;
  software_version?: string | null | undefined;
  firmware_version?: string | null | undefined;
  device_info?: Record<string, unknown> | null | undefined;
}

const label = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim().slice(0, 50) : undefined);

/**
 * The device columns a health report changes: config version, firmware (`firmware_version`, or the original's
 * `device_info.firmware`) and software (`software_version`) versions, each only when reported and different.
 */
export function reportedVersions(report: VersionReport, device: DeviceVersions): Partial<typeof devices.$inferInsert> {
  const out: Partial<typeof devices.$inferInsert> = {};
  if (report.config_version && report.config_version !== device.configVersion)
    out.configVersion = report.config_version;
  const firmware = label(report.firmware_version) ?? label(report.device_info?.firmware);
  if (firmware && firmware !== device.firmwareVersion) out.firmwareVersion = firmware;
  const software = label(report.software_version) ?? label(report.device_info?.software_version);
  if (software && software !== device.softwareVersion) out.softwareVersion = software;
  return out;
}
