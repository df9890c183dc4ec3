import { useEffect, useState } from "react";
import { Link, useLocation } from "react-router";
import { DataTable } from "../components/data-table.tsx";
import { Button, Card, FilterSelect, Input, PageHeader, StatusBadge, Tabs } from "../components/ui/index.tsx";
import { Pager } from "../components/ui/pager.tsx";
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
import { formatDateTime, timeAgo } from "../lib/format.ts";
import { tracker } from "../lib/tracking.ts";
import type { Device } from "../lib/types.ts";
import { useEndpoint } from "../lib/use-api.ts";
import { useQueryFilters } from "../lib/use-query-filters.ts";

const PAGE = 100;

export default function DevicesPage() {
  const { get, update } = useQueryFilters();
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
  const offset = Number(get("offset")) || 0;
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
        tabs={[
          { id: "fleet", label: "Fleet" },
          { id: "archived", label: "Archived" },
        ]}
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
            onChange={(e) => setTyped(e.target.value)}
          />
          <FilterSelect
            id="devices-filter-status"
            label="Status"
            value={status}
            onValue={(v) => update({ status: v })}
            options={[
              { value: "", label: "Any status" },
              ...["online", "offline", "error", "maintenance"].map((v) => ({
                value: v,
                label: v[0]?.toUpperCase() + v.slice(1),
              })),
            ]}
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
              options={[{ value: "", label: `Any ${label.toLowerCase()}` }, ...options]}
            />
          ))}
          <FilterSelect
            id="devices-filter-site"
            label="Site"
            value={siteId}
            onValue={(v) => update({ site_id: v })}
            options={[
              { value: "", label: "All sites" },
              ...(sites.data?.sites.map((s) => ({ value: s.site_id, label: s.name })) ?? []),
            ]}
          />
          <FilterSelect
            id="devices-filter-type"
            label="Type"
            value={deviceType}
            onValue={(v) => update({ device_type: v })}
            options={[
              { value: "", label: "All types" },
              ...["pos_terminal", "kiosk", "server", "iot_sensor", "payment_terminal", "printer"].map((t) => ({
                value: t,
                label: t.replace(/_/g, " "),
              })),
            ]}
          />
          <FilterSelect
            id="devices-filter-tag"
            label="Tag"
            value={tag}
            onValue={(v) => update({ tag: v })}
            options={[
              { value: "", label: "Any tag" },
              ...(tags.data?.tags.map((t) => ({ value: t.tag, label: `${t.tag} (${t.device_count})` })) ?? []),
            ]}
          />
          <Input
            id="devices-filter-software"
            aria-label="Software version"
            placeholder="Software version"
            value={softwareVersion}
            onChange={(e) => update({ software_version: e.target.value.trim() })}
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
          rows={devices.data?.devices}
          error={devices.error}
          rowKey={(d) => d.device_id}
          empty="No device matches."
          columns={[
            ...(canBulk && !archived
              ? [
                  {
                    header: "Select",
                    cell: (d: Device) => (
                      <input
                        type="checkbox"
                        className="device-select"
                        aria-label={`Select ${d.device_id}`}
                        checked={selected.has(d.device_id)}
                        onChange={() => toggle(d.device_id)}
                      />
                    ),
                  },
                ]
              : []),
            {
              header: "Device",
              cell: (d) => (
                <>
                  <Link to={`/devices/${encodeURIComponent(d.device_id)}`}>{d.device_id}</Link>
                  {d.is_simulated && <small className="muted"> sim</small>}
                </>
              ),
              csv: (d) => d.device_id,
            },
            { header: "Name", cell: (d) => d.name, csv: (d) => d.name },
            {
              header: "Site",
              cell: (d) => <Link to={`/sites/${encodeURIComponent(d.site_id)}`}>{d.site_id}</Link>,
              csv: (d) => d.site_id,
            },
            { header: "Type", cell: (d) => d.device_type, csv: (d) => d.device_type },
            { header: "Status", cell: (d) => <StatusBadge status={d.status} />, csv: (d) => d.status },
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
            {
              header: "IP",
              cell: (d) => <span className="mono">{d.ip_address ?? "—"}</span>,
              csv: (d) => d.ip_address,
            },
            {
              header: "Last seen",
              cell: (d) => <span title={formatDateTime(d.last_seen)}>{timeAgo(d.last_seen)}</span>,
              csv: (d) => d.last_seen,
            },
            {
              header: "Last heartbeat",
              cell: (d) => <LastHeartbeat at={d.last_heartbeat_at} />,
              csv: (d) => d.last_heartbeat_at,
            },
            ...(archived
              ? [
                  {
                    header: "Actions",
                    cell: (d: Device) => <ArchivedDeviceActions device={d} onChanged={devices.reload} />,
                  },
                ]
              : []),
            { header: "Segment", csv: (d) => d.segment },
            { header: "Simulated", csv: (d) => d.is_simulated ?? false },
          ]}
        />
        <Pager
          id="devices"
          offset={offset}
          shown={devices.data?.devices.length ?? 0}
          total={devices.data?.total}
          pageSize={PAGE}
          onOffset={(o) => update({ offset: String(o) })}
        />
      </Card>
    </>
  );
}
