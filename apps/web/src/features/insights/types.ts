/** Presentation of the insights API's numbers (its shapes are the contracts' own, through useEndpoint). */

export const pct = (p: number | null | undefined) => (p === null || p === undefined ? "—" : `${Math.round(p * 100)}%`);
export const samplesText = (s: Record<string, number> | undefined) =>
  s
    ? Object.entries(s)
        .map(([k, v]) => `${v} ${k.replace(/_/g, " ")}`)
        .join(", ")
    : "";
