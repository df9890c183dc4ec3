import { listCommandTemplates } from "@homepot/core/command-templates/list-command-templates";
import { presentTemplate } from "@homepot/core/command-templates/present";
import { runCommandTemplate } from "@homepot/core/command-templates/run-command-template";
import { listCommands } from "@homepot/core/commands/list-commands";
import { presentCommandHistory } from "@homepot/core/commands/present";
import { csvList, intOption, parseSubcommand, stringFlags } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { withCliContext } from "../lib/database.ts";
import { print, printAs, printList } from "../lib/output.ts";

export const summary = "commands: the fleet's command history, templates, run a template";

const HELP = `Usage: homepot commands <subcommand> [options]

  list [--status S[,S]] [--type T[,T]] [--site S] [--device D] [--since ISO] [--limit N] [--offset N]
                                              every device's commands, newest first
  templates [--type T]                        the saved command templates
  run-template <template_id> (--device D[,D] | --site S) [--param name=value]...
                                              queue the template's command on each device (exit 1 if any refused)

Every subcommand takes --json. Runs are audited as the system user "cli".`;

export const subcommands = ["list", "templates", "run-template"];
export async function run(argv: string[]): Promise<number> {
  const parsed = parseSubcommand(argv, subcommands, HELP, {
    ...stringFlags("status", "type", "site", "device", "since", "limit", "offset"),
    param: { type: "string", multiple: true },
  });
  if (typeof parsed === "number") return parsed;
  const { sub, values, positionals } = parsed;
  const since = values.since ? new Date(values.since) : undefined;
  if (since && Number.isNaN(since.getTime())) throw new CliError("--since: an ISO date or datetime", 2);
  const params: Record<string, string> = {};
  for (const p of values.param ?? []) {
    const eq = p.indexOf("=");
    if (eq < 1) throw new CliError(`--param ${p}: give name=value`, 2);
    params[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const templateId = positionals[0];
  if (sub === "run-template" && !templateId) throw new CliError("run-template: a template id is required", 2);
  if (sub === "run-template" && Boolean(values.device) === Boolean(values.site))
    throw new CliError("run-template: give --device or --site (one of them)", 2);

  return withCliContext(async (ctx) => {
    if (sub === "list") {
      const { commands, total } = await listCommands(ctx, {
        status: csvList(values.status),
        commandType: csvList(values.type),
        siteId: values.site,
        deviceId: values.device,
        since,
        limit: intOption(values.limit, "limit", 50, 1, 1000),
        offset: intOption(values.offset, "offset", 0, 0, 10_000_000),
      });
      printList(
        values.json,
        commands.map(presentCommandHistory),
        (c) => ({
          command: c.command_id,
          type: c.command_type.toLowerCase(),
          device: c.device_id,
          site: c.site_id ?? "",
          status: c.lifecycle,
          by: c.created_by_username ?? c.created_by ?? "",
          created: c.created_at,
        }),
        { total },
      );
      return 0;
    }
    if (sub === "templates") {
      const templates = await listCommandTemplates(ctx, values.type ? { commandType: values.type } : {});
      printList(values.json, templates.map(presentTemplate), (t) => ({
        template: t.template_id,
        name: t.name,
        type: t.command_type,
        parameters: t.parameters.map((p) => (p.default ? `${p.name}=${p.default}` : p.name)).join(" "),
      }));
      return 0;
    }
    const outcome = await runCommandTemplate(ctx, templateId as string, {
      deviceIds: csvList(values.device),
      siteId: values.site,
      params,
    });
    printAs(values.json, outcome, () => {
      for (const q of outcome.queued) print(`queued ${q.commandId} on ${q.deviceId}`);
      for (const f of outcome.failed) print(`refused by ${f.deviceId}: ${f.error}`);
    });
    return outcome.failed.length ? 1 : 0;
  });
}
