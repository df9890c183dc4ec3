import { useState } from "react";
import { Link, useParams } from "react-router";
import { DataTable } from "../components/data-table.tsx";
import { PendingDetail } from "../components/detail-page.tsx";
import { Button, Card, PageHeader, StatusBadge } from "../components/ui/index.tsx";
import { MembersCard } from "../features/tenants/members-card.tsx";
import { TenantSettingsCard } from "../features/tenants/tenant-cards.tsx";
import { usePeople } from "../features/tenants/tenant-data.ts";
import { useCan } from "../lib/auth.tsx";
import { useEndpoint } from "../lib/use-api.ts";

/** One tenant: (platform admins) its name, settings and state; its members and each of its sites' members. */
export default function TenantDetailPage() {
  const tenantId = Number(useParams().tenantId);
  const platform = useCan("platform");
  const tenant = useEndpoint("GET /tenants/{tenant_id}", { params: { tenant_id: tenantId } });
  const sites = useEndpoint("GET /sites", { query: { limit: 1000 } });
  const { people, choices, reload } = usePeople(tenantId);
  const [open, setOpen] = useState<number>();
  const t = tenant.data;
  if (!t) return <PendingDetail title="Tenant" list="/tenants" what="tenant" error={tenant.error} />;
  const own = (sites.data?.sites ?? []).filter((s) => s.tenant_id === t.id);
  const opened = own.find((s) => s.id === open);

  return (
    <>
      <PageHeader
        title={t.name}
        subtitle={
          <>
            <span className="mono">{t.slug}</span> · <StatusBadge status={t.is_active ? "active" : "inactive"} /> ·{" "}
            <Link to="/tenants">All tenants</Link>
          </>
        }
      />
      {platform && <TenantSettingsCard tenant={t} onSaved={tenant.reload} />}
      <MembersCard
        scope={{ tenantId: t.id }}
        title={`Members of ${t.name}`}
        idPrefix="tenant"
        people={people}
        choices={choices}
        onChanged={reload}
      />
      <Card title="Sites" id="tenant-sites">
        <DataTable
          id="tenant-sites-table"
          what={`Sites of ${t.name}`}
          rows={{ data: sites.data ? own : undefined, error: sites.error }}
          row={(s) => ({ key: s.id, "data-site": s.site_id })}
          empty="No sites in this tenant yet (create one on the Sites page)."
          columns={(c) => [
            c.site((s) => s.site_id),
            c.text("Name", (s) => s.name),
            { header: "Devices", className: "num", cell: (s) => s.device_count ?? "—", csv: (s) => s.device_count },
            c.actions((s) => (
              <Button id={`site-members-${s.id}`} onClick={() => setOpen(open === s.id ? undefined : s.id)}>
                {open === s.id ? "Close" : "Members"}
              </Button>
            )),
          ]}
        />
      </Card>
      {opened && (
        <MembersCard
          key={opened.id}
          scope={{ tenantId: t.id, siteKey: opened.id }}
          title={`Members of site ${opened.name}`}
          idPrefix={`site-${opened.id}`}
          people={people}
          choices={choices}
          onChanged={reload}
        />
      )}
    </>
  );
}
