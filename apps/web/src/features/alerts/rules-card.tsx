import type { CreateAlertRuleBody } from "@homepot/contracts/alerts";
import { type FormEvent, useState } from "react";
import type { z } from "zod";
import { DataTable } from "../../components/data-table.tsx";
import { Button, Card, ErrorMessage, SelectField, TextField } from "../../components/ui/index.tsx";
import { call } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";

function describe(c: Record<string, unknown>): string {
  const parts = Object.entries(c)
    .filter(([k]) => k !== "type")
    .map(([k, v]) => `${k.replaceAll("_", " ")} ${String(v)}`);
  return `${String(c.type).replaceAll("_", " ")}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

/** The alert rules: everyone reads them; admins switch them on and off and add metric threshold rules. */
export function RulesCard() {
  const rules = useEndpoint("GET /alerts/rules", {});
  const isAdmin = useCan("admin");
  const action = useAction(rules.reload);
  return (
    <Card title="Rules">
      <ErrorMessage error={action.error} what="The change" />
      {isAdmin && <NewMetricRule onCreate={(body) => action.run(() => call("POST /alerts/rules", { body }))} />}
      <DataTable
        id="rules-table"
        what="The rules"
        rows={rules.data?.rules}
        error={rules.error}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ "data-rule": r.name })}
        empty="No rules."
        columns={[
          {
            header: "Rule",
            cell: (r) => (
              <>
                {r.name}
                {r.builtin && <span className="badge">built in</span>}
                {r.description && <div className="muted">{r.description}</div>}
              </>
            ),
          },
          { header: "Condition", cell: (r) => describe(r.condition) },
          { header: "Severity", cell: (r) => r.severity },
          { header: "Open alerts", cell: (r) => r.open_alerts },
          {
            header: "Enabled",
            cell: (r) =>
              isAdmin ? (
                <Button
                  aria-label={`${r.enabled ? "Disable" : "Enable"} ${r.name}`}
                  onClick={() =>
                    void action.run(() =>
                      call("PUT /alerts/rules/{id}", { params: { id: r.id }, body: { enabled: !r.enabled } }),
                    )
                  }
                >
                  {r.enabled ? "On" : "Off"}
                </Button>
              ) : r.enabled ? (
                "on"
              ) : (
                "off"
              ),
          },
        ]}
      />
    </Card>
  );
}

type NewRule = z.input<typeof CreateAlertRuleBody>;
type Threshold = Extract<NewRule["condition"], { type: "metric_threshold" }>;
const METRICS: Threshold["metric"][] = [
  "cpu_percent",
  "memory_percent",
  "disk_percent",
  "network_latency_ms",
  "error_rate",
  "queue_depth",
];
const SEVERITIES: NonNullable<NewRule["severity"]>[] = ["info", "warning", "critical"];

function NewMetricRule({ onCreate }: { onCreate: (body: NewRule) => Promise<boolean> }) {
  const [name, setName] = useState("");
  const [metric, setMetric] = useState<Threshold["metric"]>("cpu_percent");
  const [operator, setOperator] = useState<Threshold["operator"]>("above");
  const [value, setValue] = useState("90");
  const [minutes, setMinutes] = useState("5");
  const [severity, setSeverity] = useState<(typeof SEVERITIES)[number]>("warning");
  const [site, setSite] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onCreate({
      name,
      severity,
      condition: { type: "metric_threshold", metric, operator, value: Number(value), minutes: Number(minutes) },
      scope: { site_ids: site ? [site] : [] },
    }).then(() => setName(""));
  };
  return (
    <form className="filters" id="rule-form" onSubmit={submit} aria-label="New metric rule">
      <TextField label="Name" name="rule-name" required value={name} onValue={setName} />
      <SelectField label="Metric" name="rule-metric" value={metric} onValue={setMetric} options={METRICS} />
      <SelectField
        label="Is"
        name="rule-operator"
        value={operator}
        onValue={setOperator}
        options={["above", "below"]}
      />
      <TextField label="Value" name="rule-value" type="number" value={value} onValue={setValue} />
      <TextField label="For (min)" name="rule-minutes" type="number" min={0} value={minutes} onValue={setMinutes} />
      <SelectField label="Severity" name="rule-severity" value={severity} onValue={setSeverity} options={SEVERITIES} />
      <TextField label="Site (optional)" name="rule-site" value={site} onValue={(v) => setSite(v.trim())} />
      <Button variant="primary" type="submit" id="rule-create">
        Add rule
      </Button>
    </form>
  );
}
