import type { AgentSchema } from "@homepot/contracts/agents";
import type { z } from "zod";
import { DataTable, rowsOf } from "../components/data-table.tsx";
import { Card, FilterSelect, Input, PageHeader } from "../components/ui/index.tsx";
import { QueryPager, QuerySiteFilter } from "../components/ui/query-controls.tsx";
import { LastHeartbeat, shownHealth } from "../features/devices/lifecycle.tsx";
import { capitalize } from "../lib/format.ts";
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
  const { get, update, offset } = useQueryFilters();
  const search = get("search");
  const siteId = get("site_id");
  const lifecycle = get("lifecycle_state");
  const connectivity = get("connectivity_state");
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
            onValue={(v) => update({ search: v })}
          />
          <QuerySiteFilter id="agents-filter-site" sites={sites.data?.sites} />
          {(
            [
              ["lifecycle", "lifecycle_state", lifecycle, LIFECYCLE],
              ["connectivity", "connectivity_state", connectivity, CONNECTIVITY],
            ] as const
          ).map(([what, key, value, values]) => (
            <FilterSelect
              key={key}
              id={`agents-filter-${what}`}
              label={capitalize(what)}
              value={value}
              onValue={(v) => update({ [key]: v })}
              any={`Any ${what}`}
              options={values}
            />
          ))}
        </search>
        <DataTable
          id="agents-table"
          what="The agents"
          rows={rowsOf(agents, (d) => d.agents)}
          row={(a) => ({ key: a.device_id, "data-device": a.device_id })}
          empty="No agent matches."
          columns={(c) => [
            c.device(
              (a) => a.device_id,
              (a) => <span className="muted">{a.name}</span>,
            ),
            { header: "Name", csv: (a) => a.name },
            c.site((a) => a.site_id),
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
        <QueryPager id="agents" shown={agents.data?.agents.length ?? 0} total={agents.data?.total} pageSize={PAGE} />
      </Card>
    </>
  );
}
