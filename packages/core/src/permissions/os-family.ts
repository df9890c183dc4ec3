export const OS_FAMILIES = ["linux", "windows", "macos", "android", "ios", "other"] as const;
export type OsFamily = (typeof OS_FAMILIES)[number];
/** The families an OS description can be recognised as. */
export type KnownOsFamily = Exclude<OsFamily, "other">;

const RULES: Array<[RegExp, KnownOsFamily]> = [
  [/windows|win32|win64|\bwin(10|11)\b/i, "windows"],
  [/android/i, "android"],
  [/ipados|iphone os|iphone|ipad|\bios\b/i, "ios"],
  [/linux|ubuntu|debian|fedora|centos|red ?hat|rhel|alpine|raspberry pi|raspbian|suse|mint|rocky|alma/i, "linux"],
  [/mac ?os|darwin|os ?x\b/i, "macos"],
];

/** The OS family an OS description names ("Ubuntu 24.04" → linux), or null when it names none. */
export function detectOsFamily(os: string | null | undefined): KnownOsFamily | null {
  if (!os?.trim()) return null;
  for (const [pattern, family] of RULES) if (pattern.test(os)) return family;
  return null;
}

/** The OS family a device reported, or the one its OS description names; `other` for an OS we do not know. */
export function osFamilyOf(reported: string | null | undefined, details: string | null | undefined): OsFamily | null {
  const given = reported?.trim().toLowerCase();
  if (given && (OS_FAMILIES as readonly string[]).includes(given)) return given as OsFamily;
  const text = [reported, details].filter(Boolean).join(" ");
  if (!text.trim()) return null;
  return detectOsFamily(text) ?? "other";
}
