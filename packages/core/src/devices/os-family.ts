export const OS_FAMILIES = ["linux", "windows", "macos", "android", "ios", "other"] as const;
export type OsFamily = (typeof OS_FAMILIES)[number];

const RULES: Array<[RegExp, OsFamily]> = [
  [/android/i, "android"],
  [/\b(ios|iphone|ipad|ipados)\b/i, "ios"],
  [/windows|win32|win64|\bwin(10|11)\b/i, "windows"],
  [/mac ?os|darwin|os ?x\b/i, "macos"],
  [/linux|ubuntu|debian|fedora|centos|red ?hat|rhel|alpine|raspbian|suse|arch|mint|rocky|alma/i, "linux"],
];

/** The OS family a device reported, or the one its OS description names (`Ubuntu 22.04` → linux). */
export function osFamilyOf(reported: string | null | undefined, details: string | null | undefined): OsFamily | null {
  const given = reported?.trim().toLowerCase();
  if (given) {
    if ((OS_FAMILIES as readonly string[]).includes(given)) return given as OsFamily;
    if (given === "darwin") return "macos";
    if (given === "win32") return "windows";
  }
  const text = [reported, details].filter(Boolean).join(" ");
  if (!text.trim()) return null;
  for (const [pattern, family] of RULES) if (pattern.test(text)) return family;
  return "other";
}
