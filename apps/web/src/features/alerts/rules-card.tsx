import type { AlertRuleList } from "@homepot/contracts/alerts";
import { type FormEvent, useState } from "react";
import type { z } from "zod";
import { Button, Card, ErrorMessage, Field, Input, Loadable, Select } from "../../components/ui/index.tsx";
import { ApiError, post, put } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { useApi } from "../../lib/use-api.ts";

type Rule = z.infer<typeof AlertRuleList>["rules"][number];

function describe(c: Record<string, unknown>): string {
  const parts = Object.entries(c)
    .filter(([k]) => k !== "type")
    .map(([k, v]) => `${k.replaceAll("_", " ")} ${String(v)}`);
  return `${String(c.type).replaceAll("_", " ")}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

/** The alert rules: everyone reads them; admins switch them on and off and add metric threshold rules. */
export function RulesCard() {
  const rules = useApi<z.infer<typeof AlertRuleList>>("/alerts/rules");
  const isAdmin = useCan("admin");
  const [error, setError] = useState<ApiError>();
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      rules.reload();
    }
  };
  const toggle = (r: Rule) => run(() => put(`/alerts/rules/${r.id}`, { enabled: !r.enabled }));
  return (
    <Card title="Rules">
      <ErrorMessage error={error} what="The change" />
      {isAdmin && <NewMetricRule onCreate={(body) => run(() => post("/alerts/rules", body))} />}
      <Loadable state={rules} what="The rules">
        {(data) => (
          <table className="table" id="rules-table">
            <thead>
              <tr>
                <th>Rule</th>
                <th>Condition</th>
                <th>Severity</th>
                <th>Open alerts</th>
                <th>Enabled</th>
              </tr>
            </thead>
            <tbody>
              {data.rules.map((r) => (
                <tr key={r.id} data-rule={r.name}>
                  <td>
                    {r.name}
                    {r.builtin && <span className="badge">built in</span>}
                    {r.description && <div className="muted">{r.description}</div>}
                  </td>
                  <td>{describe(r.condition)}</td>
                  <td>{r.severity}</td>
                  <td>{r.open_alerts}</td>
                  <td>
                    {isAdmin ? (
                      <Button
                        aria-label={`${r.enabled ? "Disable" : "Enable"} ${r.name}`}
                        onClick={() => void toggle(r)}
                      >
                        {r.enabled ? "On" : "Off"}
                      </Button>
                    ) : r.enabled ? (
                      "on"
                    ) : (
                      "off"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loadable>
    </Card>
  );
}

const METRICS = ["cpu_percent", "memory_percent", "disk_percent", "network_latency_ms", "error_rate", "queue_depth"];

function NewMetricRule({ onCreate }: { onCreate: (body: unknown) => Promise<void> }) {
  const [name, setName] = useState("");
  const [metric, setMetric] = useState("cpu_percent");
  const [operator, setOperator] = useState("above");
  const [value, setValue] = useState("90");
  const [minutes, setMinutes] = useState("5");
  const [severity, setSeverity] = useState("warning");
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
      <Field label="Name">
        {(id) => <Input id={id} name="rule-name" required value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Metric">
        {(id) => (
          <Select id={id} name="rule-metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
            {METRICS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Is">
        {(id) => (
          <Select id={id} name="rule-operator" value={operator} onChange={(e) => setOperator(e.target.value)}>
            <option>above</option>
            <option>below</option>
          </Select>
        )}
      </Field>
      <Field label="Value">
        {(id) => (
          <Input id={id} name="rule-value" type="number" value={value} onChange={(e) => setValue(e.target.value)} />
        )}
      </Field>
      <Field label="For (min)">
        {(id) => (
          <Input
            id={id}
            name="rule-minutes"
            type="number"
            min={0}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        )}
      </Field>
      <Field label="Severity">
        {(id) => (
          <Select id={id} name="rule-severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option>info</option>
            <option>warning</option>
            <option>critical</option>
          </Select>
        )}
      </Field>
      <Field label="Site (optional)">
        {(id) => <Input id={id} name="rule-site" value={site} onChange={(e) => setSite(e.target.value.trim())} />}
      </Field>
      <Button variant="primary" type="submit" id="rule-create">
        Add rule
      </Button>
    </form>
  );
}
