import { useEffect, useState } from "react";
import { useLocation } from "react-router";
import { columnIf } from "../components/column-if.ts";
import { DataTable, rowsOf } from "../components/data-table.tsx";
import { Button, Card, capitalized, FilterSelect, Input, PageHeader, Tabs } from "../components/ui/index.tsx";
import { QueryFilterSelect, QueryPager, QuerySiteFilter } from "../components/ui/query-controls.tsx";
import { BulkActions } from "../features/devices/bulk-actions.tsx";
import {
  ArchivedDeviceActions,
  LastHeartbeat,
  LifecycleBadges,
  lifecycleText,
} from "../features/devices/lifecycle.tsx";
import { RegisterDeviceForm } from "../features/devices/register-device-form.tsx";
import { TagList } from "../features/devices/tag-list.tsx";
import { useCan } from "../lib/auth.tsx";
import { tracker } from "../lib/tracking.ts";
import type { Device } from "../lib/types.ts";
import { useEndpoint } from "../lib/use-api.ts";
import { useQueryFilters } from "../lib/use-query-filters.ts";

const PAGE = 100;

export default function DevicesPage() {
  const { get, update, offset } = useQueryFilters();
  // Installers register devices (onboarding); bulk actions operate on them.
  const canRegister = useCan("installer");
  const canBulk = useCan("operator");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [registering, setRegistering] = useState(get("register") === "1");
  const search = get("search");
  const status = get("status");
  const siteId = get("site_id");
  const deviceType = get("device_type");
  const tag = get("tag");
  const softwareVersion = get("software_version");
  const lifecycle = get("lifecycle_state");
  const health = get("health_state");
  const archived = get("archived") === "true";
  const [typed, setTyped] = useState(search);
  // "/" on a page without a search box lands here with the search focused.
  const focusSearch = (useLocation().state as { focusSearch?: boolean } | null)?.focusSearch === true;

  // Search as you type, debounced; the query is recorded as a search (the one typed value tracking keeps).
  useEffect(() => {
    const t = setTimeout(() => {
      if (typed === search) return;
      update({ search: typed });
      tracker.search(typed, "devices");
    }, 350);
    return () => clearTimeout(t);
  }, [typed, search, update]);

  const devices = useEndpoint(
    "GET /devices",
    {
      query: {
        search,
        status,
        site_id: siteId,
        device_type: deviceType,
        tag,
        software_version: softwareVersion,
        lifecycle_state: lifecycle,
        health_state: health,
        archived: archived || undefined,
        limit: PAGE,
        offset,
      },
    },
    { pollMs: 15_000 },
  );
  const sites = useEndpoint("GET /sites", { query: { limit: 1000 } });
  const tags = useEndpoint("GET /devices/tags", {}, { pollMs: 60_000 });
  const shown = devices.data?.devices ?? [];
  const allShown = shown.length > 0 && shown.every((d) => selected.has(d.device_id));
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      next.has(id) ? next.delete(id) : next.add(id);
      return next;
    });
  const toggleAll = () =>
    setSelected((s) => {
      const next = new Set(s);
      for (const d of shown) allShown ? next.delete(d.device_id) : next.add(d.device_id);
      return next;
    });

  return (
    <>
      <PageHeader
        title="Devices"
        subtitle="Every terminal, kiosk and sensor in the fleet"
        actions={
          canRegister && (
            <Button id="device-register" variant="primary" onClick={() => setRegistering((r) => !r)}>
              {registering ? "Close" : "Register device"}
            </Button>
          )
        }
      />
      {registering && (
        <Card title="Register a device">
          <RegisterDeviceForm onRegistered={() => devices.reload()} />
        </Card>
      )}
      <Tabs
        idPrefix="devices"
        tabs={["fleet", "archived"]}
        value={archived ? "archived" : "fleet"}
        onChange={(v) => {
          setSelected(new Set());
          update({ archived: v === "archived" ? "true" : "" });
        }}
      />
      <Card title={archived ? "Archived devices" : "Fleet"}>
        <search className="filters">
          <Input
            type="search"
            id="devices-search"
            aria-label="Search devices"
            placeholder="Search by id, name or IP… (press /)"
            autoFocus={focusSearch}
            value={typed}
            onValue={setTyped}
          />
          <QueryFilterSelect
            id="devices-filter-status"
            label="Status"
            name="status"
            any="Any status"
            options={capitalized(["online", "offline", "error", "maintenance"])}
          />
          {(
            [
              ["lifecycle_state", "Lifecycle", lifecycle, ["pending", "active", "suspended", "unpaired"]],
              // Health of active devices, as the Overview counts it; "unknown": never reported.
              ["health_state", "Health", health, ["healthy", "warning", "error", "maintenance", "unknown"]],
            ] as const
          ).map(([key, label, value, options]) => (
            <FilterSelect
              key={key}
              id={`devices-filter-${label.toLowerCase()}`}
              label={label}
              value={value}
              onValue={(v) => update({ [key]: v })}
              any={`Any ${label.toLowerCase()}`}
              options={options}
            />
          ))}
          <QuerySiteFilter id="devices-filter-site" sites={sites.data?.sites} />
          <QueryFilterSelect
            id="devices-filter-type"
            label="Type"
            name="device_type"
            any="All types"
            options={["pos_terminal", "kiosk", "server", "iot_sensor", "payment_terminal", "printer"].map((t) => ({
              value: t,
              label: t.replace(/_/g, " "),
            }))}
          />
          <QueryFilterSelect
            id="devices-filter-tag"
            label="Tag"
            name="tag"
            any="Any tag"
            options={tags.data?.tags.map((t) => ({ value: t.tag, label: `${t.tag} (${t.device_count})` })) ?? []}
          />
          <Input
            id="devices-filter-software"
            aria-label="Software version"
            placeholder="Software version"
            value={softwareVersion}
            onValue={(v) => update({ software_version: v.trim() })}
          />
          {canBulk && !archived && shown.length > 0 && (
            <label className="row">
              <input type="checkbox" id="devices-select-all" checked={allShown} onChange={toggleAll} /> Select all shown
            </label>
          )}
        </search>
        {canBulk && !archived && selected.size > 0 && (
          <BulkActions
            selected={[...selected]}
            sites={sites.data?.sites ?? []}
            onDone={() => {
              devices.reload();
              tags.reload();
            }}
            onClear={() => setSelected(new Set())}
          />
        )}
        <DataTable
          id="devices-table"
          what="The device list"
          rows={rowsOf(devices, (d) => d.devices)}
          row={(d) => ({ key: d.device_id })}
          empty="No device matches."
          columns={(c) => [
            ...columnIf<Device>(canBulk && !archived, {
              header: "Select",
              cell: (d) => (
                <input
                  type="checkbox"
                  className="device-select"
                  aria-label={`Select ${d.device_id}`}
                  checked={selected.has(d.device_id)}
                  onChange={() => toggle(d.device_id)}
                />
              ),
            }),
            c.device(
              (d) => d.device_id,
              (d) => d.is_simulated && <small className="muted">sim</small>,
            ),
            c.text("Name", (d) => d.name),
            c.site((d) => d.site_id),
            c.text("Type", (d) => d.device_type),
            c.status("Status", (d) => d.status),
            { header: "State", cell: (d) => <LifecycleBadges device={d} />, csv: lifecycleText },
            {
              header: "Tags",
              cell: (d) => <TagList tags={d.tags} onPick={(t) => update({ tag: t })} />,
              csv: (d) => (d.tags ?? []).join(" "),
            },
            {
              header: "Software",
              cell: (d) =>
                d.software_version ? (
                  <button
                    type="button"
                    className="link-button mono"
                    title="Show devices on this version"
                    onClick={() => update({ software_version: d.software_version ?? "" })}
                  >
                    {d.software_version}
                  </button>
                ) : (
                  "—"
                ),
              csv: (d) => d.software_version,
            },
            c.mono("IP", (d) => d.ip_address),
            c.ago("Last seen", (d) => d.last_seen),
            {
              header: "Last heartbeat",
              cell: (d) => <LastHeartbeat at={d.last_heartbeat_at} />,
              csv: (d) => d.last_heartbeat_at,
            },
            ...columnIf<Device>(archived, {
              header: "Actions",
              cell: (d) => <ArchivedDeviceActions device={d} onChanged={devices.reload} />,
            }),
            { header: "Segment", csv: (d) => d.segment },
            { header: "Simulated", csv: (d) => d.is_simulated ?? false },
          ]}
        />
        <QueryPager
          id="devices"
          shown={devices.data?.devices.length ?? 0}
          total={devices.data?.total}
          pageSize={PAGE}
        />
      </Card>
    </>
  );
}
