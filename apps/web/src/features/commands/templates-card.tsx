import type { CommandTemplate, TemplateRun } from "@homepot/contracts/command-templates";
import { type FormEvent, useState } from "react";
import { columnIf } from "../../components/column-if.ts";
import { DataTable, rowsOf } from "../../components/data-table.tsx";
import {
  Button,
  Card,
  ErrorMessage,
  JsonView,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
} from "../../components/ui/index.tsx";
import { del, parseJsonField, patch, post, type WriteResponse } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { plural } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { COMMAND_TYPES, placeholdersIn, type TemplateDraft } from "./command-types.ts";

const EMPTY: TemplateDraft = { name: "", description: "", command_type: "ping", payload: {}, parameters: [] };

/** Name, type, payload (JSON with `{{placeholders}}`) and a default per placeholder: the payload builder. */
function TemplateForm({ draft, onDone, onCancel }: { draft: TemplateDraft; onDone: () => void; onCancel: () => void }) {
  const [name, setName] = useState(draft.name);
  const [description, setDescription] = useState(draft.description);
  const [type, setType] = useState(draft.command_type);
  const [payloadText, setPayloadText] = useState(JSON.stringify(draft.payload, null, 2));
  const [defaults, setDefaults] = useState<Record<string, string>>(
    Object.fromEntries(draft.parameters.map((p) => [p.name, p.default ?? ""])),
  );
  const saving = useAction();
  const names = placeholdersIn(payloadText);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void saving.run(async () => {
      const payload = parseJsonField(payloadText, "payload") ?? {};
      const body = {
        name,
        description: description || null,
        command_type: type,
        payload,
        // A placeholder with a default may be left out when running; one without must be given.
        parameters: names.map((n) =>
          defaults[n] ? { name: n, default: defaults[n], required: false } : { name: n, required: true },
        ),
      };
      if (draft.template_id)
        await patch<WriteResponse<CommandTemplate>>(
          `/command-templates/${encodeURIComponent(draft.template_id)}`,
          body,
        );
      else await post<WriteResponse<CommandTemplate>>("/command-templates", body);
      onDone();
    });
  };

  return (
    <form className="form" id="template-form" onSubmit={submit}>
      <div className="filters">
        <TextField label="Name" name="name" required maxLength={100} value={name} onValue={setName} />
        <SelectField
          label="Command"
          name="command_type"
          value={type}
          options={COMMAND_TYPES}
          onValue={(v) => {
            setType(v);
            // A new type starts from its example unless the payload was already written.
            const example = COMMAND_TYPES.find((t) => t.value === v)?.example ?? {};
            if (payloadText.trim() === "" || payloadText.trim() === "{}")
              setPayloadText(JSON.stringify(example, null, 2));
          }}
        />
      </div>
      <TextField label="Description" name="description" value={description} onValue={setDescription} />
      <TextAreaField
        label="Payload (JSON)"
        hint="Write {{name}} where a value is given when the template runs"
        name="payload"
        rows={6}
        value={payloadText}
        onValue={setPayloadText}
      />
      {names.length > 0 && (
        <fieldset className="filters" id="template-parameters">
          <legend>Parameters (a default makes one optional)</legend>
          {names.map((n) => (
            <TextField
              key={n}
              label={n}
              name={`default-${n}`}
              placeholder="no default"
              value={defaults[n] ?? ""}
              onValue={(v) => setDefaults({ ...defaults, [n]: v })}
            />
          ))}
        </fieldset>
      )}
      <div className="row">
        <SubmitButton id="template-save" pending={saving.pending} busy="Saving…">
          {draft.template_id ? "Save changes" : "Save template"}
        </SubmitButton>
        <Button id="template-cancel" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      <ErrorMessage error={saving.error} what="Saving the template" />
    </form>
  );
}

/** Runs a template on devices (comma-separated ids) or a site, asking for each parameter. */
function RunForm({ template, onClose }: { template: CommandTemplate; onClose: () => void }) {
  const [target, setTarget] = useState<"devices" | "site">("devices");
  const [targetText, setTargetText] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<TemplateRun>();
  const queuing = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const ids = targetText
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    void queuing.run(async () => {
      const res = await post<WriteResponse<TemplateRun>>(
        `/command-templates/${encodeURIComponent(template.template_id)}/run`,
        {
          ...(target === "devices" ? { device_ids: ids } : { site_id: ids[0] ?? "" }),
          params: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== "")),
        },
      );
      setResult(res.data);
    });
  };

  return (
    <form className="form" id="template-run-form" onSubmit={submit} aria-label={`Run ${template.name}`}>
      <h3>Run “{template.name}”</h3>
      <div className="filters">
        <SelectField
          label="On"
          name="target"
          value={target}
          onValue={setTarget}
          options={[
            { value: "devices", label: "Devices" },
            { value: "site", label: "Every active device of a site" },
          ]}
        />
        <TextField
          label={target === "devices" ? "Device ids (comma separated)" : "Site id"}
          name="targets"
          required
          value={targetText}
          onValue={setTargetText}
        />
        {template.parameters.map((p) => (
          <TextField
            key={p.name}
            label={p.name}
            hint={p.default ? `default ${p.default}` : "required"}
            name={`param-${p.name}`}
            required={p.required && !p.default}
            value={values[p.name] ?? ""}
            onValue={(v) => setValues({ ...values, [p.name]: v })}
          />
        ))}
      </div>
      <div className="row">
        <SubmitButton id="template-run-submit" pending={queuing.pending} busy="Queuing…">
          Run
        </SubmitButton>
        <Button id="template-run-close" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      <ErrorMessage error={queuing.error} what="Running the template" />
      {result && (
        <div id="template-run-result" role="status">
          <p>
            Queued on {plural(result.queued.length, "device")}
            {result.failed.length ? `, refused by ${result.failed.length}` : ""}.
          </p>
          {result.failed.length > 0 && (
            <ul>
              {result.failed.map((f) => (
                <li key={f.device_id}>
                  {f.device_id}: <span className="error-text">{f.error}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

/** Saved command presets: everyone sees them; operators add, edit, delete and run them. */
export function CommandTemplatesCard({
  draft,
  onDraft,
}: {
  draft: TemplateDraft | undefined;
  onDraft: (draft: TemplateDraft | undefined) => void;
}) {
  const canEdit = useCan("operator");
  const list = useEndpoint("GET /command-templates", {});
  const [running, setRunning] = useState<CommandTemplate>();
  const action = useAction(list.reload);
  const remove = (t: CommandTemplate) =>
    action.run(() => del(`/command-templates/${encodeURIComponent(t.template_id)}`), {
      confirm: `Delete the template “${t.name}”?`,
    });

  return (
    <Card
      title="Command templates"
      actions={
        canEdit &&
        !draft && (
          <Button id="template-new" variant="primary" onClick={() => onDraft(EMPTY)}>
            New template
          </Button>
        )
      }
    >
      {draft && canEdit && (
        <TemplateForm
          key={draft.template_id ?? draft.description}
          draft={draft}
          onCancel={() => onDraft(undefined)}
          onDone={() => {
            onDraft(undefined);
            list.reload();
          }}
        />
      )}
      {running && <RunForm key={running.template_id} template={running} onClose={() => setRunning(undefined)} />}
      <ErrorMessage error={action.error} what="Deleting the template" />
      <DataTable
        id="command-templates-table"
        what="Command templates"
        rows={rowsOf(list, (d) => d.templates)}
        row={(t) => ({ key: t.template_id })}
        empty="No command templates yet."
        columns={(c) => [
          {
            header: "Template",
            cell: (t) => (
              <>
                <strong>{t.name}</strong>
                {t.description && <div className="muted">{t.description}</div>}
              </>
            ),
            csv: (t) => t.name,
          },
          c.text("Command", (t) => t.command_type),
          {
            header: "Parameters",
            cell: (t) => t.parameters.map((p) => (p.default ? `${p.name}=${p.default}` : p.name)).join(", ") || "—",
            csv: (t) => t.parameters.map((p) => p.name).join(" "),
          },
          { header: "Payload", cell: (t) => <JsonView value={t.payload} />, csv: (t) => JSON.stringify(t.payload) },
          ...columnIf(
            canEdit,
            c.actions((t) => (
              <div className="row">
                <Button id={`template-run-${t.template_id}`} variant="primary" onClick={() => setRunning(t)}>
                  Run
                </Button>
                <Button
                  id={`template-edit-${t.template_id}`}
                  variant="ghost"
                  onClick={() => onDraft({ ...t, description: t.description ?? "" })}
                >
                  Edit
                </Button>
                <Button id={`template-delete-${t.template_id}`} variant="danger" onClick={() => remove(t)}>
                  Delete
                </Button>
              </div>
            )),
          ),
        ]}
      />
    </Card>
  );
}
