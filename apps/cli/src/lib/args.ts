import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliError } from "./cli-error.ts";

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

/** The flags of a long run that also has a --cleanup mode (simulate, traffic): --cleanup, --json, --quiet, --help. */
export const runOptions = {
  cleanup: { type: "boolean" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;
