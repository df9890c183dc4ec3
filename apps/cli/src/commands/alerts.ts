import { acknowledgeAlert, resolveAlert } from "@homepot/core/alerts/change-alert-status";
import { listAlerts } from "@homepot/core/alerts/list-alerts";
import { presentAlert } from "@homepot/core/alerts/present";
import { intOption, oneOf, parseSubcommand, stringFlags } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { withCliContext } from "../lib/database.ts";
import { print, printAs, printList } from "../lib/output.ts";
import { runRules } from "./alerts/rules.ts";

export const summary = "alerts: list, ack, resolve; alert rules: list, add, delete";

const HELP = `Usage: homepot alerts <subcommand> [options]

  list [--status active|open|acknowledged|resolved|all] [--severity info|warning|critical]
       [--site S] [--device D] [--limit N]     newest first (default: open or acknowledged)
  ack <id> [--note TEXT]                      acknowledge an open alert
  resolve <id> [--note TEXT]                  resolve an alert by hand
  rules list|add|delete                       the alert rules (homepot alerts rules --help)

Every subcommand takes --json. Changes are audited as the system user "cli".`;

export const subcommands = ["list", "ack", "resolve", "rules"];
const STATUSES = ["active", "open", "acknowledged", "resolved", "all"] as const;

export async function run(argv: string[]): Promise<number> {
  if (argv[0] === "rules") return runRules(argv.slice(1));
  const parsed = parseSubcommand(argv, subcommands, HELP, {
    ...stringFlags("status", "severity", "site", "device", "limit", "note"),
  });
  if (typeof parsed === "number") return parsed;
  const { sub, values, positionals } = parsed;
  const status = oneOf(values.status, STATUSES, "--status") ?? "active";
  const limit = intOption(values.limit, "limit", 50, 1, 1000);
  const id = Number(positionals[0]);
  if (sub !== "list" && !(Number.isInteger(id) && id > 0)) throw new CliError(`${sub}: an alert id is required`, 2);

  return withCliContext(async (ctx) => {
    if (sub === "list") {
      const { rows, total } = await listAlerts(ctx, {
        status,
        limit,
        offset: 0,
        ...(values.severity ? { severity: values.severity } : {}),
        ...(values.site ? { siteId: values.site } : {}),
        ...(values.device ? { deviceId: values.device } : {}),
      });
      printList(
        values.json,
        rows.map(presentAlert),
        (a) => ({
          id: a.id,
          severity: a.severity,
          status: a.status,
          device: a.device_id ?? "",
          site: a.site_id ?? "",
          title: a.title,
          since: a.created_at,
        }),
        { total },
      );
      return 0;
    }
    const r = sub === "ack" ? await acknowledgeAlert(ctx, id, values.note) : await resolveAlert(ctx, id, values.note);
    printAs(values.json, presentAlert(r.alert), () =>
      print(`Alert ${id} ${r.already ? "was already " : ""}${r.alert.status}`),
    );
    return 0;
  });
}
