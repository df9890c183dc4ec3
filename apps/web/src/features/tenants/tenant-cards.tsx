import type { FormEvent } from "react";
import { ActionButton } from "../../components/action-button.tsx";
import { Button, Card, ErrorMessage, TextAreaField, TextField } from "../../components/ui/index.tsx";
import { useForm } from "../../components/ui/use-form.ts";
import { call, parseJsonField } from "../../lib/api.ts";
import { type Action, useAction } from "../../lib/use-action.ts";
import type { Tenant } from "./tenant-data.ts";

/** A platform admin's Deactivate (asked first: its members lose access) or Reactivate of a tenant, run as `action`. */
export function TenantActiveButton({ tenant, action, id }: { tenant: Tenant; action: Action; id?: string }) {
  const active = tenant.is_active;
  return (
    <ActionButton
      id={id}
      variant={active ? "danger" : "secondary"}
      action={action}
      run={() => call("PUT /tenants/{tenant_id}", { params: { tenant_id: tenant.id }, body: { is_active: !active } })}
      confirm={active ? `Deactivate ${tenant.name}? Its members lose access at once; its data is kept.` : undefined}
    >
      {active ? "Deactivate" : "Reactivate"}
    </ActionButton>
  );
}

/** A platform admin creates a tenant: its name, slug and optional settings (JSON). */
export function CreateTenantCard({ onCreated }: { onCreated: () => void }) {
  const action = useAction(onCreated);
  const { form, setForm, bind } = useForm({ name: "", slug: "", settings: "" }, action.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(() => {
      const settings = parseJsonField(form.settings, "settings") as Record<string, unknown> | undefined;
      return call("POST /tenants", { body: { name: form.name, slug: form.slug, settings } });
    });
    if (ok) setForm({ name: "", slug: "", settings: "" });
  };
  return (
    <Card title="New tenant">
      <form className="form" id="tenant-form" onSubmit={submit} noValidate>
        <div className="filters">
          <TextField {...bind("name")} label="Name" />
          <TextField {...bind("slug")} label="Slug" hint="lowercase letters, digits and -" />
        </div>
        <TextAreaField {...bind("settings")} label="Settings (JSON, optional)" rows={3} />
        <Button id="tenant-create" type="submit" variant="primary" disabled={action.pending}>
          Create tenant
        </Button>
      </form>
      <ErrorMessage error={action.error} what="The tenant" />
    </Card>
  );
}

/** A platform admin renames a tenant, edits its settings, deactivates or reactivates it. */
export function TenantSettingsCard({ tenant, onSaved }: { tenant: Tenant; onSaved: () => void }) {
  const action = useAction(onSaved);
  const { form, bind } = useForm(
    () => ({ name: tenant.name, settings: JSON.stringify(tenant.settings, null, 2) }),
    action.error,
  );
  const save = (e: FormEvent) => {
    e.preventDefault();
    void action.run(() => {
      const settings = (parseJsonField(form.settings, "settings") ?? {}) as Record<string, unknown>;
      return call("PUT /tenants/{tenant_id}", {
        params: { tenant_id: tenant.id },
        body: { name: form.name, settings },
      });
    });
  };
  return (
    <Card title="Tenant" actions={<TenantActiveButton id="tenant-toggle-active" tenant={tenant} action={action} />}>
      <form className="form" id="tenant-settings-form" onSubmit={save} noValidate>
        <TextField {...bind("name")} label="Name" />
        <TextAreaField {...bind("settings")} label="Settings (JSON)" rows={4} />
        <Button id="tenant-save" type="submit" variant="primary" disabled={action.pending}>
          Save
        </Button>
      </form>
      <ErrorMessage error={action.error} what="The change" />
    </Card>
  );
}
