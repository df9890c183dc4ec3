import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { columnIf } from "../components/column-if.ts";
import { DataTable, rowsOf } from "../components/data-table.tsx";
import { Button, Card, Input, PageHeader, Tabs } from "../components/ui/index.tsx";
import { OsMix } from "../features/devices/device-dna-card.tsx";
import { SiteForm } from "../features/sites/site-form.tsx";
import { ArchivedSiteActions } from "../features/sites/site-lifecycle.tsx";
import { useCan } from "../lib/auth.tsx";
import { tracker } from "../lib/tracking.ts";
import type { Site } from "../lib/types.ts";
import { useEndpoint } from "../lib/use-api.ts";

export default function SitesPage() {
  const [params, setParams] = useSearchParams();
  const archived = params.get("archived") === "true";
  const sites = useEndpoint("GET /sites", {
    query: { limit: 1000, ...(archived ? { lifecycle_state: "archived" as const } : {}) },
  });
  const canEdit = useCan("operator");
  // The tenants the user sees (every one for a platform admin): the new site's picker and the list's column.
  const tenants = useEndpoint("GET /tenants", {});
  const tenantName = new Map((tenants.data ?? []).map((t) => [t.id, t.name]));
  const severalTenants = tenantName.size > 1;
  const [creating, setCreating] = useState(false);
  const [q, setQ] = useState("");
  const navigate = useNavigate();
  const needle = q.trim().toLowerCase();

  return (
    <>
      <PageHeader
        title="Sites"
        subtitle="Stores and locations, with their devices and opening hours"
        actions={
          canEdit && (
            <Button id="site-new" variant="primary" onClick={() => setCreating(true)} disabled={creating}>
              New site
            </Button>
          )
        }
      />
      {creating && (
        <Card title="New site">
          <SiteForm
            tenants={tenants.data}
            onCancel={() => setCreating(false)}
            onSaved={(site) => {
              setCreating(false);
              navigate(`/sites/${encodeURIComponent(site.site_id)}`);
            }}
          />
        </Card>
      )}
      <Tabs
        idPrefix="sites"
        tabs={[{ id: "active", label: "Sites" }, "archived"]}
        value={archived ? "archived" : "active"}
        onChange={(v) => setParams(v === "archived" ? { archived: "true" } : {}, { replace: true })}
      />
      <Card
        title={archived ? "Archived sites" : "All sites"}
        actions={
          <Input
            type="search"
            id="sites-search"
            placeholder="Filter sites…"
            aria-label="Filter sites"
            value={q}
            onValue={setQ}
            onBlur={() => tracker.search(q, "sites")}
          />
        }
      >
        <DataTable
          id="sites-table"
          what="The site list"
          rows={rowsOf(sites, (d) =>
            d.sites.filter(
              (s) => !needle || `${s.site_id} ${s.name} ${s.location ?? ""}`.toLowerCase().includes(needle),
            ),
          )}
          row={(s) => ({ key: s.site_id })}
          empty={
            sites.data?.sites.length === 0 ? (archived ? "No archived sites." : "No sites yet.") : "No site matches."
          }
          columns={(c) => [
            c.site((s) => s.site_id),
            c.text("Name", (s) => s.name),
            ...columnIf<Site>(severalTenants, {
              header: "Tenant",
              cell: (s) => tenantName.get(s.tenant_id) ?? `#${s.tenant_id}`,
              csv: (s) => tenantName.get(s.tenant_id) ?? s.tenant_id,
            }),
            c.text("Location", (s) => s.location),
            c.text("Devices", (s) => s.device_count, "num"),
            {
              header: "OS mix",
              cell: (s) => <OsMix mix={s.os_mix} />,
              csv: (s) =>
                Object.entries(s.os_mix ?? {})
                  .map(([f, n]) => `${f}:${n}`)
                  .join(" "),
            },
            {
              header: "Active",
              cell: (s) => (s.is_active === false ? "no" : "yes"),
              csv: (s) => s.is_active !== false,
            },
            c.time("Created", (s) => s.created_at),
            ...(archived
              ? [
                  c.time("Archived", (s) => s.archived_at),
                  { header: "Actions", cell: (s: Site) => <ArchivedSiteActions site={s} onChanged={sites.reload} /> },
                ]
              : []),
          ]}
        />
      </Card>
    </>
  );
}
