import { listCommandTemplates } from "@homepot/core/command-templates/list-command-templates";
import { presentTemplate } from "@homepot/core/command-templates/present";
import { runCommandTemplate } from "@homepot/core/command-templates/run-command-template";
import { listCommands } from "@homepot/core/commands/list-commands";
import { presentCommandHistory } from "@homepot/core/commands/present";
import { parse, subcommandOf } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { withCliContext } from "../lib/database.ts";
import { formatTable, print, printJson } from "../lib/output.ts";

export const summary = "commands: the fleet's command history, templates, run a template";

const HELP = `Usage: homepot commands <subcommand> [options]

  list [--status S[,S]] [--type T[,T]] [--site S] [--device D] [--since ISO] [--limit N] [--offset N]
                                              every device's commands, newest first
  templates [--type T]                        the saved command templates
  run-template <template_id> (--device D[,D] | --site S) [--param name=value]...
                                              queue the template's command on each device (exit 1 if any refused)

Every subcommand takes --json. Runs are audited as the system user "cli".`;

export const subcommands = ["list", "templates", "run-template"];
const csv = (s: string | undefined) =>
  s
    ? s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`--${name}: ${min} to ${max}`, 2);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const chosen = subcommandOf(argv, subcommands, HELP);
  if (typeof chosen === "number") return chosen;
  const { sub, rest } = chosen;
  const { values, positionals } = parse(rest, {
    status: { type: "string" },
    type: { type: "string" },
    site: { type: "string" },
    device: { type: "string" },
    since: { type: "string" },
    limit: { type: "string" },
    offset: { type: "string" },
    param: { type: "string", multiple: true },
    json: { type: "boolean" },
  });
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
        status: csv(values.status),
        commandType: csv(values.type),
        siteId: values.site,
        deviceId: values.device,
        since,
        limit: intOption(values.limit, "limit", 50, 1, 1000),
        offset: intOption(values.offset, "offset", 0, 0, 10_000_000),
      });
      const rows = commands.map(presentCommandHistory);
      if (values.json) printJson(rows);
      else {
        print(
          formatTable(
            rows.map((c) => ({
              command: c.command_id,
              type: c.command_type.toLowerCase(),
              device: c.device_id,
              site: c.site_id ?? "",
              status: c.lifecycle,
              by: c.created_by_username ?? c.created_by ?? "",
              created: c.created_at,
            })),
          ),
        );
        print(`${rows.length} of ${total}`);
      }
      return 0;
    }
    if (sub === "templates") {
      const rows = (await listCommandTemplates(ctx, values.type ? { commandType: values.type } : {})).map(
        presentTemplate,
      );
      if (values.json) printJson(rows);
      else
        print(
          formatTable(
            rows.map((t) => ({
              template: t.template_id,
              name: t.name,
              type: t.command_type,
              parameters: t.parameters.map((p) => (p.default ? `${p.name}=${p.default}` : p.name)).join(" "),
            })),
          ),
        );
      return 0;
    }
    const outcome = await runCommandTemplate(ctx, templateId as string, {
      deviceIds: csv(values.device),
      siteId: values.site,
      params,
    });
    if (values.json) printJson(outcome);
    else {
      for (const q of outcome.queued) print(`queued ${q.commandId} on ${q.deviceId}`);
      for (const f of outcome.failed) print(`refused by ${f.deviceId}: ${f.error}`);
    }
    return outcome.failed.length ? 1 : 0;
  });
}
