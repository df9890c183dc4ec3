/** The segment a device joins when none is given: its type in the plural ("pos_terminal" → "pos-terminals"). */
export function segmentForType(deviceType: string): string {
  const name = deviceType.trim().toLowerCase().replace(/_/g, "-");
  return name.endsWith("s") ? name : `${name}s`;
}
