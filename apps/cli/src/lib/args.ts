import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliError } from "./cli-error.ts";
import { print } from "./output.ts";

/**
 * `homepot <command> <sub> …`: the subcommand and its arguments; or, for no subcommand or a --help, the exit
 * code after printing `help` (0 when asked, 2 when missing). An unknown subcommand is a CLI error (exit 2).
 */
export function subcommandOf(
  argv: string[],
  subcommands: readonly string[],
  help: string,
): { sub: string; rest: string[] } | number {
  const [sub, ...rest] = argv;
  if (!sub || sub === "--help" || sub === "-h" || sub === "help" || rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${help}\n`);
    return sub ? 0 : 2;
  }
  if (!subcommands.includes(sub))
    throw new CliError(`unknown subcommand "${sub}"; one of ${subcommands.join(", ")}`, 2);
  return { sub, rest };
}

/** node:util parseArgs with errors turned into one-line CLI errors (exit 2). */
export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

/** `parse` with the --help (-h) every command takes; or the exit code 0 when it printed `help` instead. */
export function parseCommand<T extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  help: string,
  options: T,
) {
  const parsed = parse(argv, { ...options, help: { type: "boolean", short: "h" } } as const);
  if ((parsed.values as { help?: boolean }).help) {
    print(help);
    return 0;
  }
  return parsed;
}

/** The parseArgs options of flags that take a value (`--site S`), one for each name. */
export function stringFlags<const N extends string>(...names: N[]): Record<N, { type: "string" }> {
  return Object.fromEntries(names.map((name) => [name, { type: "string" }])) as Record<N, { type: "string" }>;
}

/** The parseArgs options of flags that stand alone (`--json`), one for each name. */
export function booleanFlags<const N extends string>(...names: N[]): Record<N, { type: "boolean" }> {
  return Object.fromEntries(names.map((name) => [name, { type: "boolean" }])) as Record<N, { type: "boolean" }>;
}

/**
 * `subcommandOf`, then `parse` of the subcommand's arguments with `options` and the --json every subcommand takes;
 * or the exit code when help was printed.
 */
export function parseSubcommand<T extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  subcommands: readonly string[],
  help: string,
  options: T,
) {
  const chosen = subcommandOf(argv, subcommands, help);
  if (typeof chosen === "number") return chosen;
  return { sub: chosen.sub, ...parse(chosen.rest, { ...options, json: { type: "boolean" } } as const) };
}

/** An integer flag (`--name`, default `fallback`) from `min` to `max`; else a CLI error (exit 2). */
export function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`--${name}: ${min} to ${max}`, 2);
  return n;
}

/** A flag that takes one of `allowed` (undefined when not given); else a CLI error (exit 2). */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new CliError(`${flag} must be one of ${allowed.join(", ")}`, 2);
  return value as T;
}

/** A comma-separated flag ("a, b,c") as its items; undefined when not given or empty. */
export function csvList(text: string | undefined): string[] | undefined {
  return text
    ? text
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

/** The flags of a long run that also has a --cleanup mode (simulate, traffic): --cleanup, --json, --quiet, --help. */
export const runOptions = {
  cleanup: { type: "boolean" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;
