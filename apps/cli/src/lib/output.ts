/** Human output: an aligned text table; long cells are cut so a row stays on one line. */
export function formatTable(
  rows: Record<string, unknown>[],
  columns: string[] = Object.keys(rows[0] ?? {}),
  maxWidth = 48,
): string {
  const cells = rows.map((r) => columns.map((c) => cell(r[c], maxWidth)));
  const numeric = columns.map(
    (_, i) => cells.length > 0 && cells.every((row) => /^-?\d+(\.\d+)?$|^$/.test(row[i] ?? "")),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

function cell(value: unknown, maxWidth: number): string {
  let text: string;
  if (value === null || value === undefined) text = "";
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  text = text.replace(/\s+/g, " ");
  return text.length > maxWidth ? `${text.slice(0, maxWidth - 1)}…` : text;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** With --json, `value` as JSON; otherwise what `human` prints for people. */
export function printAs(json: boolean | undefined, value: unknown, human: () => void): void {
  if (json) printJson(value);
  else human();
}

/**
 * A list: the items as JSON with --json; otherwise a table of `row(item)` (in `columns` order when given) and,
 * when the list is a page of `total`, the line "N of TOTAL".
 */
export function printList<T>(
  json: boolean | undefined,
  items: T[],
  row: (item: T) => Record<string, unknown>,
  page: { total?: number; columns?: string[] } = {},
): void {
  printAs(json, items, () => {
    print(formatTable(items.map(row), page.columns));
    if (page.total !== undefined) print(`${items.length} of ${page.total}`);
  });
}
