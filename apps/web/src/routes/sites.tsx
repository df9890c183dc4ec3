import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { Button, Card, Empty, Input, Loadable, PageHeader } from "../components/ui/index.tsx";
import { SiteForm } from "../features/sites/site-form.tsx";
import type { ListResponse } from "../lib/api.ts";
import { useCan } from "../lib/auth.tsx";
import { formatDateTime } from "../lib/format.ts";
import { tracker } from "../lib/tracking.ts";
import type { Site } from "../lib/types.ts";
import { useApi } from "../lib/use-api.ts";

export default function SitesPage() {
  const sites = useApi<ListResponse<"sites", Site>>("/sites", { limit: 1000 });
  const canEdit = useCan("operator");
  const [creating, setCreating] = useState(false);
  const [q, setQ] = useState("");
  const navigate = useNavigate();

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
            onCancel={() => setCreating(false)}
            onSaved={(site) => {
              setCreating(false);
              navigate(`/sites/${encodeURIComponent(site.site_id)}`);
            }}
          />
        </Card>
      )}
      <Card
        title="All sites"
        actions={
          <Input
            type="search"
            id="sites-search"
            placeholder="Filter sites…"
            aria-label="Filter sites"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onBlur={() => tracker.search(q, "sites")}
          />
        }
      >
        <Loadable state={sites} what="The site list">
          {(data) => {
            const needle = q.trim().toLowerCase();
            const rows = data.sites.filter(
              (s) => !needle || `${s.site_id} ${s.name} ${s.location ?? ""}`.toLowerCase().includes(needle),
            );
            if (rows.length === 0)
              return <Empty>{data.sites.length === 0 ? "No sites yet." : "No site matches."}</Empty>;
            return (
              <table className="table" id="sites-table">
                <thead>
                  <tr>
                    <th>Site</th>
                    <th>Name</th>
                    <th>Location</th>
                    <th className="num">Devices</th>
                    <th>Active</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((s) => (
                    <tr key={s.site_id}>
                      <td>
                        <Link to={`/sites/${encodeURIComponent(s.site_id)}`}>{s.site_id}</Link>
                      </td>
                      <td>{s.name}</td>
                      <td>{s.location ?? "—"}</td>
                      <td className="num">{s.device_count ?? "—"}</td>
                      <td>{s.is_active === false ? "no" : "yes"}</td>
                      <td>{formatDateTime(s.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          }}
        </Loadable>
      </Card>
    </>
  );
}
