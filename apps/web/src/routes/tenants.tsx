import { Link } from "react-router";
import { columnIf } from "../components/column-if.ts";
import { DataTable } from "../components/data-table.tsx";
import { Card, ErrorMessage, PageHeader } from "../components/ui/index.tsx";
import { MembersCard } from "../features/tenants/members-card.tsx";
import { CreateTenantCard, TenantActiveButton } from "../features/tenants/tenant-cards.tsx";
import { type Tenant, usePeople, useTenantUsers } from "../features/tenants/tenant-data.ts";
import { useCan } from "../lib/auth.tsx";
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
          rows={{ data: rows, error: tenants.error ?? mine.error }}
          row={(t) => ({ key: t.id, "data-slug": t.slug })}
          empty={platform ? "No tenants." : "You administer no whole tenant."}
          columns={(c) => [
            {
              header: "Name",
              cell: (t) => <Link to={`/tenants/${t.id}`}>{t.name}</Link>,
              csv: (t) => t.name,
            },
            c.mono("Slug", (t) => t.slug),
            c.status("Status", (t) => (t.is_active ? "active" : "inactive")),
            c.text("Sites", siteCount, "num"),
            ...columnIf(platform, c.text("Members", memberCount, "num")),
            c.time("Created", (t) => t.created_at),
            ...columnIf(
              platform,
              c.actions((t) => <TenantActiveButton tenant={t} action={action} />),
            ),
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
