import type { FormEvent } from "react";
import { Link } from "react-router";
import { DataTable } from "../components/data-table.tsx";
import {
  Button,
  Card,
  ErrorMessage,
  PageHeader,
  StatusBadge,
  TextAreaField,
  TextField,
} from "../components/ui/index.tsx";
import { useForm } from "../components/ui/use-form.ts";
import { MembersCard } from "../features/tenants/members-card.tsx";
import { type Tenant, usePeople, useTenantUsers } from "../features/tenants/tenant-data.ts";
import { call, parseJsonField } from "../lib/api.ts";
import { useCan } from "../lib/auth.tsx";
import { formatDateTime } from "../lib/format.ts";
import { useAction } from "../lib/use-action.ts";
import { useEndpoint } from "../lib/use-api.ts";

/**
 * Tenants: a platform admin sees and manages every tenant (create, deactivate, reactivate); a tenant's admin sees the
 * tenants they belong to, and a site's admin the sites they administer, to manage their members.
 */
export default function TenantsPage() {
  const platform = useCan("platform");
  const tenants = useEndpoint("GET /tenants", { query: platform ? { include_inactive: "true" } : {} });
  const mine = useEndpoint("GET /tenants/me/memberships", platform ? null : {});
  const adminOf = new Set(
    (mine.data?.tenant_memberships ?? []).filter((m) => m.role === "admin").map((m) => m.tenant_id),
  );
  // Others see the tenants they administer (a member of one with a lower role has nothing to manage here).
  const rows = platform ? tenants.data : mine.data && tenants.data?.filter((t) => adminOf.has(t.id));
  const sites = useEndpoint("GET /sites", { query: { limit: 1000 } });
  const users = useTenantUsers(platform ? tenants.data?.map((t) => t.id) : undefined);
  const action = useAction(tenants.reload);
  const siteCount = (t: Tenant) => (sites.data?.sites ?? []).filter((s) => s.tenant_id === t.id).length;
  const memberCount = (t: Tenant) =>
    new Set((users.data ?? []).filter((u) => u.tenant_id === t.id).map((u) => u.id)).size;
  const setActive = (t: Tenant, active: boolean) =>
    action.run(() => call("PUT /tenants/{tenant_id}", { params: { tenant_id: t.id }, body: { is_active: active } }), {
      confirm: active ? undefined : `Deactivate ${t.name}? Its members lose access at once; its data is kept.`,
    });

  return (
    <>
      <PageHeader
        title="Tenants"
        subtitle={
          platform
            ? "Every retailer or region sharing this server: their sites, members and roles"
            : "The tenants and sites you administer"
        }
      />
      <ErrorMessage error={action.error} what="The change" />
      {platform && <CreateTenantCard onCreated={tenants.reload} />}
      <Card title={platform ? "All tenants" : "Your tenants"}>
        <DataTable
          id="tenants-table"
          what="Tenants"
          rows={rows}
          error={tenants.error ?? mine.error}
          rowKey={(t) => t.id}
          rowProps={(t) => ({ "data-slug": t.slug })}
          empty={platform ? "No tenants." : "You administer no whole tenant."}
          columns={[
            {
              header: "Name",
              cell: (t) => <Link to={`/tenants/${t.id}`}>{t.name}</Link>,
              csv: (t) => t.name,
            },
            { header: "Slug", cell: (t) => <span className="mono">{t.slug}</span>, csv: (t) => t.slug },
            {
              header: "Status",
              cell: (t) => <StatusBadge status={t.is_active ? "active" : "inactive"} />,
              csv: (t) => (t.is_active ? "active" : "inactive"),
            },
            { header: "Sites", className: "num", cell: siteCount, csv: siteCount },
            ...(platform ? [{ header: "Members", className: "num", cell: memberCount, csv: memberCount }] : []),
            { header: "Created", cell: (t) => formatDateTime(t.created_at), csv: (t) => t.created_at },
            ...(platform
              ? [
                  {
                    header: "",
                    className: "row-actions",
                    cell: (t: Tenant) => (
                      <Button
                        variant={t.is_active ? "danger" : "secondary"}
                        disabled={action.pending}
                        onClick={() => void setActive(t, !t.is_active)}
                      >
                        {t.is_active ? "Deactivate" : "Reactivate"}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {!platform && mine.data && (
        <SitesYouAdminister
          sites={mine.data.site_memberships.filter((m) => m.role === "admin" && !adminOf.has(m.tenant_id))}
        />
      )}
    </>
  );
}

function CreateTenantCard({ onCreated }: { onCreated: () => void }) {
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

/** A site's admin who is no tenant's admin manages the members of their sites here. */
function SitesYouAdminister({
  sites,
}: {
  sites: Array<{ id: number; site_id: number; site_name: string; tenant_id: number }>;
}) {
  const { people } = usePeople(undefined);
  return sites.map((s) => (
    <MembersCard
      key={s.id}
      scope={{ tenantId: s.tenant_id, siteKey: s.site_id }}
      title={`Members of ${s.site_name}`}
      idPrefix={`site-${s.site_id}`}
      people={people}
      choices={undefined}
    />
  ));
}
