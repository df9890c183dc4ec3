import { AppError, type Context, createUser, type Role, roles, silentLogger, systemClock } from "@homepot/core";
import { parse } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { openCliDatabase } from "../lib/database.ts";
import { formatTable, print, printJson } from "../lib/output.ts";

export const summary = "manage users: create --email E --password P [--role admin|operator|viewer] [--username U]";

const HELP = `Usage: homepot user create --email E --password P [--role admin|operator|viewer] [--username U] [--full-name N] [--json]`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "--help" || sub === "-h" || sub === "help") {
    print(HELP);
    return 0;
  }
  if (sub !== "create") throw new CliError(sub ? `unknown subcommand "${sub}"; try \`homepot user create\`` : HELP, 2);
  const { values } = parse(rest, {
    email: { type: "string" },
    password: { type: "string" },
    role: { type: "string", default: "viewer" },
    username: { type: "string" },
    "full-name": { type: "string" },
    json: { type: "boolean" },
  });
  if (!values.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email))
    throw new CliError("--email: a valid email address is required", 2);
  if (!values.password) throw new CliError("--password is required", 2);
  if (!(roles as string[]).includes(values.role)) throw new CliError(`--role must be one of ${roles.join(", ")}`, 2);

  const database = await openCliDatabase();
  try {
    const ctx: Context = {
      db: database.db,
      actor: { kind: "system", name: "cli" },
      clock: systemClock,
      logger: silentLogger,
    };
    const user = await createUser(ctx, {
      email: values.email,
      password: values.password,
      username: values.username,
      fullName: values["full-name"],
      role: values.role as Role,
    }).catch((error: unknown) => {
      // Validation and conflicts are the user's to fix: one line, no stack.
      if (error instanceof AppError) throw new CliError(error.message, 1);
      throw error;
    });
    const shown = {
      id: user.id,
      username: user.username,
      email: user.email,
      role: user.role,
      created_at: user.createdAt.toISOString(),
    };
    if (values.json) printJson(shown);
    else {
      print(`# user created — ${database.source}`);
      print(formatTable([shown]));
    }
    return 0;
  } finally {
    await database.close();
  }
}
