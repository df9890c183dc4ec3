import { readFileSync } from "node:fs";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { agentDir, agentPaths } from "../state/paths.ts";

/** A wrong flag or value: printed as one line, exit code 2. */
export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `parse`; or, for --help, the exit code 0 after printing the command's `usage` on `out`. */
export function parseCommand<T extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  usage: string,
  options: T,
  out: Pick<Console, "log"> = console,
) {
  const { values } = parse(argv, options);
  if ((values as { help?: boolean }).help) {
    out.log(usage);
    return 0;
  }
  return values;
}

/** The flags of the commands that use the agent's folder: --dir DIR and --key-file FILE. */
export const folderOptions = {
  dir: { type: "string" },
  "key-file": { type: "string" },
} as const;

/** The agent's files, from --dir (else agentDir's default) and --key-file. */
export function pathsOf(values: { dir?: string | undefined; "key-file"?: string | undefined }, env: NodeJS.ProcessEnv) {
  return agentPaths(agentDir(values.dir, env), values["key-file"]);
}

export function positiveNumber(value: string | undefined, flag: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${flag} must be a number ≥ ${min}, got "${value}"`);
  return n;
}

export function serverUrl(value: string, flag = "--server"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be a URL like http://homepot.example:8000, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`${flag} must be http:// or https://`);
  return url.origin + url.pathname.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
}

/** A secret kept in a file (first line, trimmed), so it never appears on the command line. */
export function readSecretFile(file: string, flag: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const secret = text.split(/\r?\n/)[0]?.trim();
  if (!secret) throw new UsageError(`${flag}: ${file} is empty`);
  return secret;
}

/** A secret from the file named by `flag` when given, else from the environment variable `envName`; never argv. */
export function requireSecret(
  file: string | undefined,
  flag: string,
  env: NodeJS.ProcessEnv,
  envName: string,
  what: string,
): string {
  const secret = file ? readSecretFile(file, flag) : env[envName]?.trim();
  if (!secret) throw new UsageError(`${what} is required: ${flag} FILE or ${envName}`);
  return secret;
}
