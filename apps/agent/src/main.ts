import * as bootstrap from "./commands/bootstrap.ts";
import * as claim from "./commands/claim.ts";
import { UsageError } from "./commands/options.ts";
import * as permissions from "./commands/permissions.ts";
import * as register from "./commands/register.ts";
import * as run from "./commands/run.ts";
import * as status from "./commands/status.ts";
import { CredentialsError } from "./state/credentials.ts";

/** The command table: each answers `--help` with its usage (help.unit.test.ts walks it). */
export const commands: Record<string, { summary: string; usage: string; run(argv: string[]): Promise<number> }> = {
  register,
  claim,
  bootstrap,
  run,
  status,
  permissions,
};

/** argv → one command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log("homepot-agent <command> [options]\n");
    for (const [n, c] of Object.entries(commands)) console.log(`  ${n.padEnd(12)} ${c.summary}`);
    console.log("\nhomepot-agent <command> --help for its options");
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`unknown command "${name}"; try homepot-agent --help`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CredentialsError) {
      console.error(`homepot-agent ${name}: ${error.message}`);
      return 2;
    }
    console.error(`homepot-agent ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
