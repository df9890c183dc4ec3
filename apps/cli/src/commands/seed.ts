import { AppError, ensureAdmin, loadConfig, systemContext } from "@homepot/core";
import { seedDemoData } from "@homepot/core/demo/seed-demo-data";
import { parseCommand } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { openCliDatabase } from "../lib/database.ts";
import { formatTable, print, printJson } from "../lib/output.ts";

export const summary = "create the demo data: 3 sites, 12 POS terminals, a week of schedules per site, an admin";

const HELP = `Usage: homepot seed [--devices N] [--admin-email E --admin-password P] [--json]

Creates what is missing of the demo data set (running it twice changes nothing): sites site-001…003,
simulated POS terminals pos-terminal-001…, each site's operating week, and an admin account from
--admin-email/--admin-password or HOMEPOT_ADMIN_EMAIL/HOMEPOT_ADMIN_PASSWORD.`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, HELP, {
    devices: { type: "string", default: "12" },
    "admin-email": { type: "string" },
    "admin-password": { type: "string" },
    json: { type: "boolean" },
  });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const devices = Number(values.devices);
  if (!Number.isInteger(devices) || devices < 0 || devices > 100_000)
    throw new CliError("--devices must be an integer from 0 to 100000", 2);
  const config = loadConfig();
  const adminEmail = values["admin-email"] ?? config.adminEmail;
  const adminPassword = values["admin-password"] ?? config.adminPassword;
  if ((adminEmail === undefined) !== (adminPassword === undefined))
    throw new CliError("give both an admin email and password, or neither", 2);
  if (adminPassword !== undefined && adminPassword.length < 8)
    throw new CliError("the admin password must be at least 8 characters", 2);

  const database = await openCliDatabase(config);
  try {
    const ctx = systemContext(database.db, "cli");
    const result = await seedDemoData(ctx, { devices });
    let admin: { email: string; created: boolean } | undefined;
    if (adminEmail && adminPassword) {
      const { created } = await ensureAdmin(ctx, adminEmail, adminPassword).catch((error: unknown) => {
        // A weak password or an address taken by an account with another password: the operator's to fix.
        if (error instanceof AppError) throw new CliError(error.message, 1);
        throw error;
      });
      admin = { email: adminEmail.toLowerCase(), created };
    }
    if (values.json) {
      printJson({
        sites_created: result.sitesCreated,
        devices_created: result.devicesCreated,
        schedules_created: result.schedulesCreated,
        admin: admin ?? null,
      });
      return 0;
    }
    print(`# ${database.source}`);
    print(
      formatTable([
        { item: "sites", created: result.sitesCreated, total: 3 },
        { item: "devices", created: result.devicesCreated, total: devices },
        { item: "schedule days", created: result.schedulesCreated, total: 21 },
        ...(admin ? [{ item: `admin ${admin.email}`, created: admin.created ? 1 : 0, total: 1 }] : []),
      ]),
    );
    if (!admin)
      print("(no admin: pass --admin-email and --admin-password, or set HOMEPOT_ADMIN_EMAIL/HOMEPOT_ADMIN_PASSWORD)");
    return 0;
  } finally {
    await database.close();
  }
}
