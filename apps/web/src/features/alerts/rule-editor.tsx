import { defaultTemplate, renderTemplate, sampleVariables } from "@homepot/contracts/alert-templates";
import {
  type AlertRuleSchema,
  type CreateAlertRuleBody,
  ERROR_CATEGORIES,
  RULE_METRICS,
  RuleCondition,
  type RuleType,
} from "@homepot/contracts/alerts";
import type { FormEvent } from "react";
import type { z } from "zod";
import { EditorActions, type EditorProps, useDraft } from "../../components/ui/draft-form.tsx";
import { SelectField, TextAreaField, TextField } from "../../components/ui/index.tsx";
import { SCOPE_PICKERS, type ScopeKey } from "./scope-pickers.tsx";
import { type Severity, SeverityField } from "./severity-field.tsx";

export type RuleBody = z.input<typeof CreateAlertRuleBody>;
type Rule = z.infer<typeof AlertRuleSchema>;

/** A condition parameter as the form edits it: a number, a yes/no, or one of some options. */
type Param =
  | { key: string; label: string; kind: "number"; initial: number; step?: string; percent?: boolean }
  | { key: string; label: string; kind: "bool"; initial: boolean }
  | { key: string; label: string; kind: "select"; initial: string; options: readonly string[] };

const minutes = (initial: number, label = "For (min)"): Param => ({ key: "minutes", label, kind: "number", initial });

/** Every rule type, its label and its parameters (the contract's RuleCondition, field by field). */
const TYPES: Record<RuleType, { label: string; params: Param[] }> = {
  device_offline: {
    label: "Device offline",
    params: [
      minutes(10),
      { key: "only_during_opening_hours", label: "Only while the site is open", kind: "bool", initial: true },
    ],
  },
  device_error: { label: "Device in error", params: [minutes(0)] },
  metric_threshold: {
    label: "Metric threshold",
    params: [
      { key: "metric", label: "Metric", kind: "select", initial: "cpu_percent", options: RULE_METRICS },
      { key: "operator", label: "Is", kind: "select", initial: "above", options: ["above", "below"] },
      { key: "value", label: "Value", kind: "number", initial: 90, step: "any" },
      minutes(5),
    ],
  },
  anomaly: {
    label: "Anomaly",
    params: [{ key: "min_score", label: "z-score at least", kind: "number", initial: 3, step: "any" }],
  },
  failure_risk: {
    label: "Failure risk",
    params: [{ key: "min_probability", label: "Risk at least (%)", kind: "number", initial: 80, percent: true }],
  },
  job_failed: {
    label: "Job failed or rolled back",
    params: [
      { key: "include_partial", label: "Also partial jobs", kind: "bool", initial: true },
      { key: "include_rollbacks", label: "Also config rollbacks", kind: "bool", initial: true },
    ],
  },
  command_expired: { label: "Command expired", params: [] },
  error_rate: {
    label: "Error-log rate",
    params: [
      { key: "category", label: "Category", kind: "select", initial: "database", options: ERROR_CATEGORIES },
      { key: "count", label: "At least (errors)", kind: "number", initial: 5 },
      { key: "window_minutes", label: "Within (min)", kind: "number", initial: 10 },
    ],
  },
  collection_gap: { label: "Data collection gap", params: [minutes(60, "No data for (min)")] },
};
const TYPE_OPTIONS = (Object.keys(TYPES) as RuleType[]).map((value) => ({ value, label: TYPES[value].label }));

type Values = Record<string, string | boolean>;
interface Draft {
  name: string;
  description: string;
  severity: Severity;
  type: RuleType;
  values: Values;
  scope: Record<ScopeKey, string[]>;
  template: string;
}

function initialValues(type: RuleType, condition?: Record<string, unknown>): Values {
  const out: Values = {};
  for (const p of TYPES[type].params) {
    const given = condition?.[p.key];
    if (p.kind === "bool") out[p.key] = typeof given === "boolean" ? given : p.initial;
    else if (p.kind === "number") {
      const n = typeof given === "number" ? given : p.percent ? p.initial / 100 : p.initial;
      out[p.key] = String(p.percent ? Math.round(n * 1000) / 10 : n);
    } else out[p.key] = typeof given === "string" ? given : p.initial;
  }
  return out;
}

function draftOf(rule: Rule | undefined): Draft {
  const type = (rule?.condition.type as RuleType | undefined) ?? "device_offline";
  const list = (k: ScopeKey) => {
    const v = rule?.scope[k];
    return Array.isArray(v) ? v.map(String) : [];
  };
  return {
    name: rule?.name ?? "",
    description: rule?.description ?? "",
    severity: (rule?.severity as Draft["severity"] | undefined) ?? "warning",
    type,
    values: initialValues(type, rule?.condition),
    scope: {
      site_ids: list("site_ids"),
      segments: list("segments"),
      tags: list("tags"),
      device_ids: list("device_ids"),
    },
    template: rule?.message_template ?? "",
  };
}

/** The condition of a draft, checked by the contract's schema (the error names the field). */
function conditionOf(d: Draft) {
  const raw: Record<string, unknown> = { type: d.type };
  for (const p of TYPES[d.type].params) {
    const v = d.values[p.key];
    raw[p.key] = p.kind === "number" ? (v === "" ? Number.NaN : Number(v) / (p.percent ? 100 : 1)) : v;
  }
  return RuleCondition.safeParse(raw);
}

/**
 * Creates or edits an alert rule of any type: its condition's parameters, scope (sites, segments, tags, devices),
 * severity and message template, with the message previewed on example values by the server's own renderer.
 */
export function RuleEditor({ rule, onSave, onCancel }: EditorProps<RuleBody> & { rule?: Rule }) {
  const { draft: d, setDraft: setD, set, save } = useDraft(rule, draftOf, onSave);
  const setValue = (key: string, v: string | boolean) =>
    setD((old) => ({ ...old, values: { ...old.values, [key]: v } }));
  const parsed = conditionOf(d);
  const problem = parsed.success ? undefined : parsed.error.issues[0];
  const preview = parsed.success
    ? renderTemplate(
        d.template.trim() || defaultTemplate(parsed.data),
        sampleVariables(parsed.data, { name: d.name || "(name)", severity: d.severity }),
      )
    : undefined;
  const variables = parsed.success
    ? Object.keys(sampleVariables(parsed.data, { name: "", severity: "" }))
        .map((k) => `{${k}}`)
        .join(" ")
    : "";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.success) return;
    const body: RuleBody = {
      name: d.name,
      description: d.description.trim() || null,
      severity: d.severity,
      condition: parsed.data,
      scope: d.scope,
      message_template: d.template.trim() || null,
    };
    save(body);
  };

  return (
    <form
      className="rule-editor"
      id="rule-form"
      onSubmit={submit}
      aria-label={rule ? `Edit rule ${rule.name}` : "New rule"}
    >
      <h3>{rule ? `Edit “${rule.name}”` : "New rule"}</h3>
      <div className="form-grid">
        <TextField
          label="Name"
          name="rule-name"
          required
          maxLength={120}
          value={d.name}
          onValue={(name) => set({ name })}
        />
        <SelectField
          label="When"
          name="rule-type"
          value={d.type}
          options={TYPE_OPTIONS}
          onValue={(type) => set({ type, values: initialValues(type) })}
        />
        {TYPES[d.type].params.map((p) =>
          p.kind === "bool" ? (
            <label key={p.key} className="field">
              <span>
                <input
                  name={`rule-${p.key}`}
                  type="checkbox"
                  checked={d.values[p.key] === true}
                  onChange={(e) => setValue(p.key, e.target.checked)}
                />{" "}
                {p.label}
              </span>
            </label>
          ) : p.kind === "select" ? (
            <SelectField
              key={p.key}
              label={p.label}
              name={`rule-${p.key}`}
              value={String(d.values[p.key])}
              options={p.options}
              onValue={(v) => setValue(p.key, v)}
            />
          ) : (
            <TextField
              key={p.key}
              label={p.label}
              name={`rule-${p.key}`}
              type="number"
              step={p.step ?? "1"}
              value={String(d.values[p.key])}
              onValue={(v) => setValue(p.key, v)}
              error={problem?.path[0] === p.key ? problem.message : undefined}
            />
          ),
        )}
        <SeverityField
          label="Severity"
          name="rule-severity"
          value={d.severity}
          onValue={(severity) => set({ severity })}
        />
      </div>
      <div className="form-grid">
        {SCOPE_PICKERS.map(({ key, label, Picker }) => (
          <Picker
            key={key}
            id={`rule-scope-${key}`}
            label={label}
            value={d.scope[key]}
            onChange={(v) => setD((old) => ({ ...old, scope: { ...old.scope, [key]: v } }))}
          />
        ))}
      </div>
      <TextField
        label="Description"
        name="rule-description"
        value={d.description}
        onValue={(description) => set({ description })}
      />
      <TextAreaField
        label="Message template"
        name="rule-template"
        rows={2}
        maxLength={500}
        placeholder={parsed.success ? defaultTemplate(parsed.data) : ""}
        hint={`Empty: the default. Variables: ${variables}`}
        value={d.template}
        onValue={(template) => set({ template })}
      />
      <p className="muted" id="rule-preview">
        Preview: <strong>{preview ?? `(${problem?.path.join(".")}: ${problem?.message})`}</strong>
      </p>
      <EditorActions
        id="rule-save"
        label={rule ? "Save rule" : "Add rule"}
        disabled={!parsed.success}
        onCancel={onCancel}
      />
    </form>
  );
}
