/**
 * What a person sees in the terminal: a short summary at start-up and shutdown (on stderr, so stdout stays
 * JSON log lines for machines), and readable log lines instead of JSON when stdout is a terminal.
 */

const LEVELS: Record<number, { name: string; colour: number }> = {
  10: { name: "TRACE", colour: 90 },
  20: { name: "DEBUG", colour: 90 },
  30: { name: "INFO", colour: 32 },
  40: { name: "WARN", colour: 33 },
  50: { name: "ERROR", colour: 31 },
  60: { name: "FATAL", colour: 35 },
};
// pino's own fields, shown in the line's head or not at all.
const HIDDEN = new Set(["level", "time", "msg", "pid", "hostname", "err"]);

/** One pino JSON line as `12:03:04 INFO  message  key=value …` (the error's stack below it); other text as is. */
export function formatLogLine(line: string, colour = false): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof record !== "object" || record === null) return line;
  const level = LEVELS[Number(record.level)] ?? { name: String(record.level ?? ""), colour: 0 };
  const time = typeof record.time === "number" ? new Date(record.time).toISOString().slice(11, 19) : "";
  const paint = (code: number, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const fields = Object.entries(record)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  let out = `${paint(90, time)} ${paint(level.colour, level.name.padEnd(5))} ${String(record.msg ?? "")}`;
  if (fields) out += `  ${paint(90, fields)}`;
  const err = record.err as { stack?: unknown; message?: unknown } | undefined;
  if (err && typeof err.stack === "string") out += `\n${err.stack}`;
  else if (err && typeof err.message === "string") out += `  error=${err.message}`;
  return out;
}

/** A pino destination that writes readable lines to `out`. */
export function prettyLogStream(out: NodeJS.WritableStream & { isTTY?: boolean }): { write(chunk: string): void } {
  const colour = out.isTTY === true && !process.env.NO_COLOR;
  return {
    write(chunk: string) {
      for (const line of chunk.split("\n")) if (line.trim() !== "") out.write(`${formatLogLine(line, colour)}\n`);
    },
  };
}

/** Whether log lines are written for people (pretty) or machines (JSON). */
export function prettyLogs(format: "auto" | "json" | "pretty", stdoutIsTty: boolean): boolean {
  return format === "pretty" || (format === "auto" && stdoutIsTty);
}

export interface StartupFacts {
  address: string;
  /** Where the embedded database and the server's secrets live. */
  dataDir: string;
  /** "pglite" (embedded) or "postgres" (DATABASE_URL). */
  driver: string;
  /** The embedded database's wire port, when exposed. */
  pgPort: number | null;
  /** The bootstrap admin's e-mail (HOMEPOT_ADMIN_EMAIL), when set. */
  adminEmail: string | undefined;
  hasAdmin: boolean;
  /** How to get the first admin, when there is none. */
  noAdminHint: string;
  /** Whether log lines are readable ones (else JSON). */
  prettyLogs: boolean;
}

/** The lines printed once the server listens. */
export function startupSummary(f: StartupFacts): string {
  const database =
    f.driver === "pglite"
      ? `embedded PostgreSQL in ${f.dataDir}${f.pgPort ? ` (psql: \`npx homepot db url\`, port ${f.pgPort})` : ""}`
      : `PostgreSQL (DATABASE_URL); secrets in ${f.dataDir}`;
  const admin = f.adminEmail
    ? `sign in as ${f.adminEmail} (HOMEPOT_ADMIN_EMAIL)`
    : f.hasAdmin
      ? "sign in with your account; `npx homepot user list` shows the accounts"
      : f.noAdminHint;
  return [
    "",
    `HOMEPOT is running at ${f.address}/`,
    `  API docs   ${f.address}/docs`,
    `  Data       ${database}`,
    `  Admin      ${admin}`,
    `  Logs       ${f.prettyLogs ? "readable lines (HOMEPOT_LOG_FORMAT=json for JSON lines)" : "JSON lines on stdout (HOMEPOT_LOG_FORMAT=pretty for readable ones)"}`,
    "  Stop       Ctrl-C",
    "",
  ].join("\n");
}

/** The line printed when the server has stopped. */
export function shutdownSummary(signal: string, clean: boolean): string {
  return clean ? `HOMEPOT stopped (${signal}).` : `HOMEPOT stopped (${signal}) with errors: see the log above.`;
}
