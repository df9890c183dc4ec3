/**
 * CSV for spreadsheets (RFC 4180): every field quoted, quotes doubled, CRLF rows, a BOM so Excel reads UTF-8.
 * A text cell that a spreadsheet would run as a formula (starts with = + - @, tab or CR) gets a leading `'`
 * (OWASP "CSV injection"); numbers stay numbers, so -5 is still -5.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '""';
  let text: string;
  if (typeof value === "number" || typeof value === "bigint")
    text = Number.isFinite(Number(value)) ? String(value) : "";
  else if (typeof value === "boolean") text = value ? "true" : "false";
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? "" : value.toISOString();
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  if (typeof value !== "number" && typeof value !== "bigint" && FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  const lines = [header, ...rows].map((cells) => cells.map(csvCell).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** `devices-2026-11-27T1203.csv`: the table's name and when it was taken. */
export function csvFileName(name: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replace(/:/g, "");
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "table";
  return `${safe}-${stamp}.csv`;
}

/** Hands the CSV to the browser as a download. */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled (revoking at once cancels the download in some browsers).
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
