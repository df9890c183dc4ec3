/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), stopping early past `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...Array<number>(b.length).fill(0)]);
  const row0 = rows[0] as number[];
  for (let j = 0; j <= b.length; j++) row0[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const r = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    let best = Number.POSITIVE_INFINITY;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (r[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      r[j] = v;
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** How far a word of this length may be from a vocabulary word and still be taken as a typo of it. */
function allowance(length: number): number {
  if (length < 3) return 0;
  if (length < 7) return 1;
  return 2;
}

/**
 * The vocabulary word a token most likely misspells, or undefined when it is already known or nothing is
 * close enough. Ties go to the word that comes first in the vocabulary (the base words come first).
 */
export function correctWord(token: string, vocabulary: ReadonlySet<string>, ordered: readonly string[]) {
  if (vocabulary.has(token) || /\d/.test(token)) return undefined;
  const max = allowance(token.length);
  if (max === 0) return undefined;
  let best: string | undefined;
  let bestD = max + 1;
  for (const word of ordered) {
    if (Math.abs(word.length - token.length) > max || word.length < 3) continue;
    const d = editDistance(token, word, max);
    if (d < bestD) {
      best = word;
      bestD = d;
      if (d === 1) break;
    }
  }
  return best;
}
