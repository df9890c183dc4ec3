import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CliError } from "./lib/cli-error.ts";

/**
 * `homepot <command> [sub] [options]`: each command is one file, src/commands/<command>.ts, exporting
 * `summary` (one line for help), `subcommands` when it has them, and `run(argv): Promise<number>` (the exit
 * code). Adding a command is adding a file; nothing here changes. Every command and subcommand answers
 * `--help` with its options (help.unit.test.ts walks this table).
 */
export interface CommandModule {
  summary: string;
  /** The subcommands' names, when the command has them (`homepot db count`). */
  subcommands?: readonly string[];
  run(argv: string[]): Promise<number>;
}

const commandsDir = new URL("./commands/", import.meta.url);

export async function loadCommand(name: string): Promise<CommandModule | undefined> {
  if (!/^[a-z][a-z-]*$/.test(name)) return undefined;
  const file = new URL(`${name}.ts`, commandsDir);
  if (!existsSync(fileURLToPath(file))) return undefined;
  return (await import(file.href)) as CommandModule;
}

/** The command table: every file in src/commands/ (a folder there holds a command's parts). */
export function commandNames(): string[] {
  return readdirSync(fileURLToPath(commandsDir))
    .filter((f) => f.endsWith(".ts") && !f.includes(".test."))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function listCommands(): Promise<string> {
  const names = commandNames();
  const lines = await Promise.all(names.map(async (n) => `  ${n.padEnd(10)} ${(await loadCommand(n))?.summary ?? ""}`));
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(
      `Usage: homepot <command> [options]\n\nCommands:\n${await listCommands()}\n\nRun \`homepot <command> --help\` for a command's options.\n`,
    );
    return name ? 0 : 1;
  }
  const command = await loadCommand(name);
  if (!command) {
    process.stderr.write(`homepot: unknown command "${name}". Run \`homepot help\`.\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`homepot ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
