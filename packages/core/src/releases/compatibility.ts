/**
 * Compares two version labels part by part (numbers numerically, other parts as text; `4.10.0 > 4.9.1`,
 * `4.2.0 > 4.2.0-rc1`). Returns <0, 0 or >0.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA = "", preA] = splitPre(a);
  const [coreB = "", preB] = splitPre(b);
  const pa = coreA.split(/[._]/);
  const pb = coreB.split(/[._]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const x = pa[i] ?? "0";
    const y = pb[i] ?? "0";
    const nx = /^\d+$/.test(x) ? Number(x) : Number.NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : Number.NaN;
    const c = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (c !== 0) return Math.sign(c);
  }
  // A pre-release comes before its release.
  if (preA === undefined) return preB === undefined ? 0 : 1;
  if (preB === undefined) return -1;
  return Math.sign(preA.localeCompare(preB, undefined, { numeric: true }));
}

function splitPre(v: string): [string, string | undefined] {
  const plain = v.replace(/\+.*$/, "");
  const i = plain.indexOf("-");
  return i < 0 ? [plain, undefined] : [plain.slice(0, i), plain.slice(i + 1)];
}

export interface CompatibilityRule {
  deviceTypes: string[];
  /** Empty = any OS; otherwise a device must report (or describe) one of these families. */
  osFamilies?: string[];
  minCurrentVersion: string | null;
  version: string;
}

/**
 * Why a device should not get this release (incompatible type or OS family, too old to upgrade from, already
 * on it), or null when it should. `installed` is the device's version of the release's type (software or
 * firmware); `osFamily` its OS family (`osFamilyOf`), null when it never said.
 */
export function skipReason(
  rule: CompatibilityRule,
  device: { deviceType: string; installed: string | null; osFamily?: string | null },
) {
  if (rule.deviceTypes.length && !rule.deviceTypes.includes(device.deviceType))
    return `incompatible: device type ${device.deviceType} is not one of ${rule.deviceTypes.join(", ")}`;
  const families = rule.osFamilies ?? [];
  if (families.length && !families.includes(device.osFamily ?? ""))
    return device.osFamily
      ? `incompatible: OS family ${device.osFamily} is not one of ${families.join(", ")}`
      : `incompatible: needs OS family ${families.join(", ")}, the device reports none`;
  if (device.installed !== null && device.installed === rule.version) return `already on ${rule.version}`;
  if (rule.minCurrentVersion) {
    if (device.installed === null)
      return `incompatible: needs ${rule.minCurrentVersion} or later installed, the device reports no version`;
    if (compareVersions(device.installed, rule.minCurrentVersion) < 0)
      return `incompatible: needs ${rule.minCurrentVersion} or later installed, the device has ${device.installed}`;
  }
  return null;
}
