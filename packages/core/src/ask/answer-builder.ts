import { checkFigures } from "./figures.ts";

/** Where a figure comes from: rows of a table (ids) or the query that selects them. */
export interface Citation {
  table: string;
  ids?: (string | number)[];
  query?: string;
  label: string;
  /** The dashboard page that shows the rows. */
  href?: string;
}

export interface Figure {
  label: string;
  value: number;
  unit: string;
  citation: number;
}

export interface Draft {
  answered: boolean;
  text: string;
  figures: Figure[];
  citations: Citation[];
  literals: string[];
  window: { start: string; end: string } | null;
  sampleSize: number;
  sampleKind: "rows" | "devices";
  /** Tables the answer rests on (the trust gate checks them as `homepot validate` does). */
  tables: string[];
  hints: string[];
}

/** Writes an answer from a template, registering every figure and citation as it goes. */
export class AnswerBuilder {
  private readonly parts: string[] = [];
  readonly figures: Figure[] = [];
  readonly citations: Citation[] = [];
  readonly literals: string[] = [];
  readonly tables = new Set<string>();
  readonly hints: string[] = [];
  window: { start: string; end: string } | null = null;
  sampleSize = 0;
  /** What the sample counts: rows (trust wants at least 10) or devices (at least 1). */
  sampleKind: "rows" | "devices" = "rows";

  cite(c: Citation): number {
    const same = this.citations.findIndex((x) => x.table === c.table && x.query === c.query && x.label === c.label);
    if (same >= 0) return same;
    this.tables.add(c.table);
    return this.citations.push(c) - 1;
  }

  /** A figure from a result, rounded to `digits`, with its unit; returns the text to write. */
  num(value: number, citation: number, label: string, unit = "", digits = 1): string {
    const rounded = Math.round(value * 10 ** digits) / 10 ** digits;
    this.figures.push({ label, value: rounded, unit, citation });
    const text = rounded.toLocaleString("en-US", { maximumFractionDigits: digits, useGrouping: false });
    return unit === "%" ? `${text} %` : unit ? `${text} ${unit}` : text;
  }

  /** A 0–1 share or probability written as a percentage. */
  pct(share: number, citation: number, label: string): string {
    return this.num(share * 100, citation, label, "%", 0);
  }

  /** A use case's own explanation (its numbers are that use case's figures). */
  quote(text: string, citation: number, label: string): string {
    for (const m of text.matchAll(/(?<![\w.])-?\d+(?:\.\d+)?(?![\w])/g))
      this.figures.push({ label, value: Number(m[0]), unit: "", citation });
    return text;
  }

  /** An id, name or time taken verbatim from the data (its digits are not figures). */
  lit(text: string): string {
    this.literals.push(text);
    return text;
  }

  line(text: string): this {
    this.parts.push(text);
    return this;
  }

  setWindow(start: Date | string, end: Date | string): void {
    const s = typeof start === "string" ? start : start.toISOString();
    const e = typeof end === "string" ? end : end.toISOString();
    this.window = { start: s, end: e };
    this.literals.push(s, e);
  }

  draft(answered = true): Draft {
    return {
      answered,
      text: this.parts.join(" "),
      figures: this.figures,
      citations: this.citations,
      literals: this.literals,
      window: this.window,
      sampleSize: this.sampleSize,
      sampleKind: this.sampleKind,
      tables: [...this.tables],
      hints: this.hints,
    };
  }
}

/** Numbers of a built-in answer that no figure backs (0 by construction; the eval counts them). */
export function inventedFigures(d: Draft, extraLiterals: readonly string[] = []): string[] {
  return checkFigures(
    d.text,
    d.figures.map((f) => f.value),
    [...d.literals, ...extraLiterals],
  );
}
