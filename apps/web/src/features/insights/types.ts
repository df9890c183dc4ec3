/** Presentation of the insights API's numbers (its shapes are the contracts' own, through useEndpoint). */

export const pct = (p: number | null | undefined) => (p === null || p === undefined ? "—" : `${Math.round(p * 100)}%`);
/** A 0-100 score rounded, or a dash when there is none yet. */
export const score = (s: number | null | undefined) => (s === null || s === undefined ? "—" : Math.round(s));
export const samplesText = (s: Record<string, number> | undefined) =>
  s
    ? Object.entries(s)
        .map(([k, v]) => `${v} ${k.replace(/_/g, " ")}`)
        .join(", ")
    : "";
