import { CreateAlertRuleBody } from "@homepot/contracts/alerts";
import { toInput } from "@homepot/contracts/input";
import { createAlertRule, deleteAlertRule, listAlertRules } from "@homepot/core/alerts/manage-alert-rules";
import { presentRule } from "@homepot/core/alerts/present";
import { booleanFlags, csvList, parse, stringFlags } from "../../lib/args.ts";
import { CliError } from "../../lib/cli-error.ts";
import { withCliContext } from "../../lib/database.ts";
import { print, printAs, printList } from "../../lib/output.ts";

export const RULES_HELP = `Usage: homepot alerts rules <list|add|delete> [options]

  list                                         every rule, with its owner, condition and open alerts
  add --name N --type T [condition options] [--severity info|warning|critical] [--tenant ID]
      [--sites a,b] [--segments a,b] [--tags a,b] [--devices a,b] [--template TEXT] [--description TEXT]
      T: device_offline | device_error | metric_threshold | anomaly | failure_risk | job_failed |
         command_expired | error_rate | collection_gap
      condition options (as the type needs): --minutes N  --metric M --operator above|below --value V
         --min-score S  --min-probability P (0-1)  --category C --count N --window-minutes N
         --only-open (offline: only during opening hours)  --no-partial --no-rollbacks (job_failed)
      --tenant: the rule belongs to that tenant and watches only its devices (its scope may name only its
         sites and devices); without it the rule is platform-wide
  delete <id>                                  built-in rules cannot be deleted (disable them)

Every subcommand takes --json. Changes are audited as the system user "cli".`;

const flags = {
  ...stringFlags(
    "name",
    "type",
    "severity",
    "minutes",
    "metric",
    "operator",
    "value",
    "min-score",
    "min-probability",
    "category",
    "count",
    "window-minutes",
    "sites",
    "segments",
    "tags",
    "devices",
    "template",
    "description",
    "tenant",
  ),
  ...booleanFlags("only-open", "no-partial", "no-rollbacks", "json"),
};
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** `homepot alerts rules …`: the same use cases as the API and the dashboard's rule editor. */
export async function runRules(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || ["--help", "-h", "help"].includes(sub) || rest.includes("--help")) {
    print(RULES_HELP);
    return sub ? 0 : 2;
  }
  if (!["list", "add", "delete"].includes(sub))
    throw new CliError(`unknown rules subcommand "${sub}"; one of list, add, delete`, 2);
  const { values, positionals } = parse(rest, flags);
  // Checked before the database opens: a typo costs nothing.
  let body: ReturnType<typeof CreateAlertRuleBody.parse> | undefined;
  if (sub === "add") {
    const type = values.type;
    const condition = Object.fromEntries(
      Object.entries({
        type,
        minutes: num(values.minutes),
        metric: values.metric,
        operator: values.operator,
        value: num(values.value),
        min_score: num(values["min-score"]),
        min_probability: num(values["min-probability"]),
        category: values.category,
        count: num(values.count),
        window_minutes: num(values["window-minutes"]),
        only_during_opening_hours: type === "device_offline" ? values["only-open"] === true : undefined,
        include_partial: type === "job_failed" ? !values["no-partial"] : undefined,
        include_rollbacks: type === "job_failed" ? !values["no-rollbacks"] : undefined,
      }).filter(([, v]) => v !== undefined),
    );
    const parsed = CreateAlertRuleBody.safeParse({
      name: values.name,
      ...(values.tenant ? { tenant_id: num(values.tenant) } : {}),
      condition,
      ...(values.severity ? { severity: values.severity } : {}),
      ...(values.description ? { description: values.description } : {}),
      ...(values.template ? { message_template: values.template } : {}),
      scope: {
        site_ids: csvList(values.sites) ?? [],
        segments: csvList(values.segments) ?? [],
        tags: csvList(values.tags) ?? [],
        device_ids: csvList(values.devices) ?? [],
      },
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CliError(`${issue?.path.join(".") || "rule"}: ${issue?.message}`, 2);
    }
    body = parsed.data;
  }
  const id = Number(positionals[0]);
  if (sub === "delete" && !(Number.isInteger(id) && id > 0)) throw new CliError("delete: a rule id is required", 2);

  return withCliContext(async (ctx) => {
    if (sub === "list") {
      const rules = (await listAlertRules(ctx)).map((r) => presentRule(r.rule, r.openAlerts));
      printList(values.json, rules, (r) => ({
        id: r.id,
        name: r.name,
        tenant: r.tenant_id ?? "platform",
        type: String(r.condition.type),
        severity: r.severity,
        enabled: r.enabled ? "yes" : "no",
        open: r.open_alerts,
      }));
      return 0;
    }
    if (sub === "add" && body) {
      const rule = presentRule(await createAlertRule(ctx, toInput(body)));
      printAs(values.json, rule, () => print(`Alert rule ${rule.id} created: ${rule.name}`));
      return 0;
    }
    const rule = await deleteAlertRule(ctx, id);
    printAs(values.json, presentRule(rule), () => print(`Alert rule ${rule.id} deleted: ${rule.name}`));
    return 0;
  });
}
