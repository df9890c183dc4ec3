import type { AgentSchema } from "@homepot/contracts/agents";
import { Link } from "react-router";
import type { z } from "zod";
import { DataTable } from "../components/data-table.tsx";
import { Card, FilterSelect, Input, PageHeader } from "../components/ui/index.tsx";
import { Pager } from "../components/ui/pager.tsx";
import { LastHeartbeat, shownHealth } from "../features/devices/lifecycle.tsx";
import { useEndpoint } from "../lib/use-api.ts";
import { useQueryFilters } from "../lib/use-query-filters.ts";

type Agent = z.infer<typeof AgentSchema>;
const PAGE = 100;
const LIFECYCLE = ["pending", "active", "suspended", "unpaired"] as const;
const CONNECTIVITY = ["online", "offline", "unknown"] as const;
/** The status field of the agent's last health check, if it sent one. */
const lastCheck = (a: Agent) => {
  const s = a.last_health_check?.status;
  return typeof s === "string" ? s : null;
};

/**
 * The fleet's agents (the original HOMEPOT's `GET /agents`): each device's lifecycle, connectivity, health, agent
 * and config version, last heartbeat and last health check, filtered and paged on the server, downloadable as CSV.
 */
export default function AgentsPage() {
  const { get, update } = useQueryFilters();
  const search = get("search");
  const siteId = get("site_id");
  const lifecycle = get("lifecycle_state");
  const connectivity = get("connectivity_state");
  const offset = Number(get("offset")) || 0;
  const agents = useEndpoint(
    "GET /agents",
    {
      query: {
        search: search || undefined,
        site_id: siteId || undefined,
        lifecycle_state: (lifecycle || undefined) as (typeof LIFECYCLE)[number] | undefined,
        connectivity_state: (connectivity || undefined) as (typeof CONNECTIVITY)[number] | undefined,
        limit: PAGE,
        offset,
      },
    },
    { pollMs: 15_000 },
  );
  const sites = useEndpoint("GET /sites", { query: { limit: 1000 } });

  return (
    <>
      <PageHeader
        title="Agents"
        subtitle="The agent on each device: whether it runs, what it runs, when it last reported"
      />
      <Card title="Agents">
        <search className="filters">
          <Input
            type="search"
            id="agents-search"
            aria-label="Search agents"
            placeholder="Search by device id or name…"
            value={search}
            onChange={(e) => update({ search: e.target.value })}
          />
          <FilterSelect
            id="agents-filter-site"
            label="Site"
            value={siteId}
            onValue={(v) => update({ site_id: v })}
            options={[
              { value: "", label: "All sites" },
              ...(sites.data?.sites.map((s) => ({ value: s.site_id, label: s.name })) ?? []),
            ]}
          />
          {(
            [
              ["lifecycle", "lifecycle_state", lifecycle, LIFECYCLE],
              ["connectivity", "connectivity_state", connectivity, CONNECTIVITY],
            ] as const
          ).map(([what, key, value, values]) => (
            <FilterSelect
              key={key}
              id={`agents-filter-${what}`}
              label={what[0]?.toUpperCase() + what.slice(1)}
              value={value}
              onValue={(v) => update({ [key]: v })}
              options={[{ value: "", label: `Any ${what}` }, ...values.map((v) => ({ value: v, label: v }))]}
            />
          ))}
        </search>
        <DataTable
          id="agents-table"
          what="The agents"
          rows={agents.data?.agents}
          error={agents.error}
          rowKey={(a) => a.device_id}
          rowProps={(a) => ({ "data-device": a.device_id })}
          empty="No agent matches."
          columns={(c) => [
            {
              header: "Device",
              cell: (a) => (
                <>
                  <Link to={`/devices/${encodeURIComponent(a.device_id)}`}>{a.device_id}</Link>{" "}
                  <span className="muted">{a.name}</span>
                </>
              ),
              csv: (a) => a.device_id,
            },
            { header: "Name", csv: (a) => a.name },
            {
              header: "Site",
              cell: (a) => <Link to={`/sites/${encodeURIComponent(a.site_id)}`}>{a.site_id}</Link>,
              csv: (a) => a.site_id,
            },
            c.status("Lifecycle", (a) => a.lifecycle_state),
            c.status("Connectivity", (a) => a.connectivity_state),
            c.status("Health", shownHealth),
            c.status("Agent", (a) => a.uptime),
            c.text("Agent version", (a) => a.agent_version),
            c.text("Config version", (a) => a.config_version),
            { header: "Last heartbeat", cell: (a) => <LastHeartbeat at={a.last_seen} />, csv: (a) => a.last_seen },
            c.status("Last health check", lastCheck),
          ]}
        />
        <Pager
          id="agents"
          offset={offset}
          shown={agents.data?.agents.length ?? 0}
          total={agents.data?.total}
          pageSize={PAGE}
          onOffset={(o) => update({ offset: String(o) })}
        />
      </Card>
    </>
  );
}
