/**
 * Every number an answer states must come from a use case's result. The built-in templates register each
 * figure as they write it; `checkFigures` then reads the finished text back and lists any number that no
 * result holds (the same check the optional LLM's answers go through).
 */

const NUMBER = /(?<![\w.])-?\d+(?:\.\d+)?(?![\w])/g;
const ISO = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?/g;

/** The numbers of a text, with their decimals (the precision they were written with). */
export function numbersIn(text: string): { text: string; value: number; decimals: number }[] {
  return [...text.matchAll(NUMBER)].map((m) => ({
    text: m[0],
    value: Number(m[0]),
    decimals: m[0].includes(".") ? (m[0].split(".")[1] as string).length : 0,
  }));
}

/** Every finite number in a JSON-like value (a use case's result). */
export function numbersOf(value: unknown, out: number[] = []): number[] {
  if (typeof value === "number" && Number.isFinite(value)) out.push(value);
  else if (typeof value === "string") for (const n of numbersIn(value)) out.push(n.value);
  else if (Array.isArray(value)) for (const v of value) numbersOf(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) numbersOf(v, out);
  return out;
}

function matches(n: { value: number; decimals: number }, source: number): boolean {
  const tolerance = 0.5 * 10 ** -n.decimals + 1e-9;
  // A share or probability may be written as a percentage.
  return Math.abs(n.value - source) <= tolerance || Math.abs(n.value - source * 100) <= tolerance;
}

/**
 * The numbers of `text` that match none of `sources`. Literal strings (device and site ids, the period the
 * question named, timestamps from the results) are taken out first: their digits are not figures.
 */
export function checkFigures(text: string, sources: readonly number[], literals: readonly string[] = []): string[] {
  let rest = text;
  for (const l of [...literals].sort((a, b) => b.length - a.length)) if (l) rest = rest.split(l).join(" ");
  rest = rest.replace(ISO, (m) => (literals.some((l) => l.includes(m)) ? " " : m));
  return numbersIn(rest)
    .filter((n) => !sources.some((s) => matches(n, s)))
    .map((n) => n.text);
}

/** Replaces the numbers no result holds with a marker, so an unverified figure is never shown as fact. */
export function dropInventedFigures(text: string, invented: readonly string[]): string {
  if (invented.length === 0) return text;
  const bad = new Set(invented);
  return text.replace(NUMBER, (m) => (bad.has(m) ? "[unverified figure removed]" : m));
}
