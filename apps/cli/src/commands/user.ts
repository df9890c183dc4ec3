import {
  AppError,
  type Context,
  createInvitation,
  createUser,
  findUserByEmail,
  findUserById,
  findUserByUsername,
  listUsers,
  loadConfig,
  type Role,
  resetUserPassword,
  roles,
  systemContext,
  type UserRow,
  updateUser,
} from "@homepot/core";
import { oneOf, parseSubcommand, stringFlags } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { openCliDatabase } from "../lib/database.ts";
import { formatTable, print, printAs } from "../lib/output.ts";
import { readSecret } from "../lib/secret-input.ts";

export const summary = "manage users: create, list, set-role, disable, enable, reset-password, invite";

const HELP = `Usage: homepot user <subcommand> [options]

  create --email E [--role admin|operator|viewer] [--username U] [--full-name N]
                            the password is asked for (not echoed), or read from the first line of stdin;
                            --password P also works but other users of the machine can see it (warned)
  list                      every account with its role and status
  set-role <user> <role>    <user> is an id, an e-mail address or a username
  disable <user>            the account can no longer sign in; its sessions end
  enable <user>
  reset-password <user> [--generate]
                            a new password from the prompt/stdin, or a generated one (printed once); sessions end
  invite [--email E] [--role R] [--hours H] [--url http://host:port]
                            an invitation link for HOMEPOT_SIGNUP=invite (shown once)

Every subcommand takes --json. The first admin of a fresh install: \`homepot user create --email you@example.com --role admin\`.`;

export const subcommands = ["create", "list", "set-role", "disable", "enable", "reset-password", "invite"];

export async function run(argv: string[]): Promise<number> {
  const parsed = parseSubcommand(argv, subcommands, HELP, {
    ...stringFlags("email", "password", "role", "username", "full-name", "hours", "url"),
    generate: { type: "boolean" },
  });
  if (typeof parsed === "number") return parsed;
  const { sub, values, positionals } = parsed;
  const role = oneOf(values.role, roles, "--role");

  const config = loadConfig();
  const database = await openCliDatabase(config);
  try {
    const ctx = systemContext(database.db, "cli");
    const done = await (async () => {
      switch (sub) {
        case "create": {
          if (!values.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email))
            throw new CliError("--email: a valid email address is required", 2);
          if (values.password !== undefined)
            process.stderr.write(
              "warning: --password is visible to other users of this machine; prefer the prompt or stdin\n",
            );
          const password = values.password ?? (await readSecret(`Password for ${values.email}: `, { confirm: true }));
          const user = await createUser(ctx, {
            email: values.email,
            password,
            username: values.username,
            fullName: values["full-name"],
            role: role ?? "viewer",
          });
          printAs(values.json, shown(user), () => {
            print(`# user created — ${database.source}`);
            print(formatTable([shown(user)]));
          });
          return 0;
        }
        case "list": {
          const users = (await listUsers(ctx)).map(shown);
          printAs(values.json, users, () => print(users.length ? formatTable(users) : "(no users)"));
          return 0;
        }
        case "set-role": {
          const [ref, next] = positionals;
          if (!ref || !next || !(roles as string[]).includes(next))
            throw new CliError(`usage: homepot user set-role <user> <${roles.join("|")}>`, 2);
          const user = await updateUser(ctx, (await userByRef(ctx, ref)).id, { role: next as Role });
          printAs(values.json, shown(user), () => print(`${user.username} is now ${user.role}`));
          return 0;
        }
        case "disable":
        case "enable": {
          const [ref] = positionals;
          if (!ref) throw new CliError(`usage: homepot user ${sub} <user>`, 2);
          const user = await updateUser(ctx, (await userByRef(ctx, ref)).id, { isActive: sub === "enable" });
          printAs(values.json, shown(user), () =>
            print(`${user.username} is ${user.isActive ? "enabled" : "disabled"}`),
          );
          return 0;
        }
        case "reset-password": {
          const [ref] = positionals;
          if (!ref) throw new CliError("usage: homepot user reset-password <user> [--generate]", 2);
          const target = await userByRef(ctx, ref);
          const password = values.generate
            ? undefined
            : (values.password ?? (await readSecret(`New password for ${target.email}: `, { confirm: true })));
          const { generatedPassword } = await resetUserPassword(ctx, target.id, password);
          printAs(values.json, { username: target.username, generated_password: generatedPassword ?? null }, () =>
            print(
              generatedPassword
                ? `new password of ${target.username} (shown once): ${generatedPassword}`
                : `password of ${target.username} changed; their sessions have ended`,
            ),
          );
          return 0;
        }
        default: {
          const hours = values.hours === undefined ? config.inviteTtlH : Number(values.hours);
          if (!Number.isFinite(hours) || hours < 1 || hours > 24 * 90)
            throw new CliError("--hours must be 1 to 2160", 2);
          const { token, ...invitation } = await createInvitation(ctx, {
            email: values.email,
            role: role ?? "viewer",
            ttlHours: hours,
          });
          const base = (values.url ?? `http://${config.host}:${config.port}`).replace(/\/+$/, "");
          const url = `${base}/signup?invite=${encodeURIComponent(token)}`;
          printAs(values.json, { ...invitation, token, url }, () => {
            print(
              `invitation for ${invitation.email ?? "anyone with the link"} as ${invitation.role}, until ${invitation.expires_at}`,
            );
            print(`link (shown once, works once): ${url}`);
            if (config.signup !== "invite" && config.signup !== "open")
              print("note: HOMEPOT_SIGNUP=off refuses every sign-up; set it to invite for the link to work");
          });
          return 0;
        }
      }
    })().catch((error: unknown) => {
      // Validation, conflicts, unknown users: the operator's to fix, in one line.
      if (error instanceof AppError) throw new CliError(error.message, 1);
      throw error;
    });
    return done;
  } finally {
    await database.close();
  }
}

function shown(user: UserRow) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    role: user.role,
    active: user.isActive,
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
  };
}

async function userByRef(ctx: Context, ref: string): Promise<UserRow> {
  const user = /^\d+$/.test(ref)
    ? await findUserById(ctx.db, Number(ref))
    : ref.includes("@")
      ? await findUserByEmail(ctx.db, ref)
      : await findUserByUsername(ctx.db, ref);
  if (!user) throw new CliError(`no user "${ref}"`, 1);
  return user;
}
