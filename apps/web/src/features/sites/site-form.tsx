import type { FormEvent } from "react";
import { Button, ErrorMessage, SelectField, TextAreaField, TextField } from "../../components/ui/index.tsx";
import { useForm } from "../../components/ui/use-form.ts";
import { post, put, type WriteResponse } from "../../lib/api.ts";
import type { Site } from "../../lib/types.ts";
import { useAction } from "../../lib/use-action.ts";

/**
 * Create a site (no `site`) or edit one. A new site goes to the tenant picked among `tenants` when the user sees
 * several (a platform admin); with one, the server puts it there.
 */
export function SiteForm({
  site,
  tenants = [],
  onSaved,
  onCancel,
}: {
  site?: Site;
  tenants?: ReadonlyArray<{ id: number; name: string; slug: string }>;
  onSaved: (site: Site) => void;
  onCancel?: () => void;
}) {
  const pickTenant = !site && tenants.length > 1;
  const saving = useAction();
  const { form, bind } = useForm(
    {
      tenant_id: String((tenants.find((t) => t.slug === "default") ?? tenants[0])?.id ?? ""),
      site_id: site?.site_id ?? "",
      name: site?.name ?? "",
      location: site?.location ?? "",
      description: site?.description ?? "",
    },
    saving.error,
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void saving.run(async () => {
      const body = {
        name: form.name,
        location: form.location || undefined,
        description: form.description || undefined,
      };
      const res = site
        ? await put<WriteResponse<Site>>(`/sites/${encodeURIComponent(site.site_id)}`, body)
        : await post<WriteResponse<Site> & Partial<Site>>("/sites", {
            site_id: form.site_id,
            ...body,
            ...(pickTenant ? { tenant_id: Number(form.tenant_id) } : {}),
          });
      const saved = (res.data ?? (res as unknown as Site)) as Site;
      onSaved({ ...saved, site_id: saved.site_id ?? form.site_id, name: saved.name ?? form.name });
    });
  };

  return (
    <form className="form" id={site ? "site-edit-form" : "site-create-form"} onSubmit={submit}>
      <ErrorMessage error={saving.error} what="Saving the site" />
      <div className="form-grid">
        {pickTenant && (
          <SelectField
            {...bind("tenant_id")}
            label="Tenant"
            options={tenants.map((t) => ({ value: String(t.id), label: t.name }))}
          />
        )}
        {!site && (
          <TextField
            {...bind("site_id")}
            label="Site ID"
            hint="e.g. site-004; letters, digits and dashes"
            required
            pattern="[A-Za-z0-9_.\-]+"
          />
        )}
        <TextField {...bind("name")} label="Name" required />
        <TextField {...bind("location")} label="Location" />
      </div>
      <TextAreaField {...bind("description")} label="Description" rows={2} />
      <div className="row">
        <Button
          id={site ? "site-save" : "site-create-submit"}
          type="submit"
          variant="primary"
          disabled={saving.pending || !form.name || (!site && !form.site_id)}
        >
          {saving.pending ? "Saving…" : site ? "Save" : "Create site"}
        </Button>
        {onCancel && (
          <Button id="site-form-cancel" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
