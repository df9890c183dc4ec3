import { useCallback, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { DataTable } from "../components/data-table.tsx";
import { Button, Card, Input, PageHeader, Select, StatusBadge } from "../components/ui/index.tsx";
import { RegisterDeviceForm } from "../features/devices/register-device-form.tsx";
import type { ListResponse } from "../lib/api.ts";
import { useCan } from "../lib/auth.tsx";
import { formatDateTime, timeAgo } from "../lib/format.ts";
import { tracker } from "../lib/tracking.ts";
import type { Device, Site } from "../lib/types.ts";
import { useApi } from "../lib/use-api.ts";

const PAGE = 100;

export default function DevicesPage() {
  const [params, setParams] = useSearchParams();
  const canRegister = useCan("operator");
  const [registering, setRegistering] = useState(params.get("register") === "1");
  const search = params.get("search") ?? "";
  const status = params.get("status") ?? "";
  const siteId = params.get("site_id") ?? "";
  const deviceType = params.get("device_type") ?? "";
  const offset = Number(params.get("offset") ?? 0) || 0;
  const [typed, setTyped] = useState(search);

  const update = useCallback(
    (changes: Record<string, string>) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  // Search as you type, debounced; the query is recorded as a search (the one typed value tracking keeps).
  useEffect(() => {
    const t = setTimeout(() => {
      if (typed === search) return;
      update({ search: typed, offset: "" });
      tracker.search(typed, "devices");
    }, 350);
    return () => clearTimeout(t);
  }, [typed, search, update]);

  const devices = useApi<ListResponse<"devices", Device>>(
    "/devices",
    { search, status, site_id: siteId, device_type: deviceType, limit: PAGE, offset },
    { pollMs: 15_000 },
  );
  const sites = useApi<ListResponse<"sites", Site>>("/sites", { limit: 1000 });

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
      <Card title="Fleet">
        <search className="filters">
          <Input
            type="search"
            id="devices-search"
            aria-label="Search devices"
            placeholder="Search by id, name or IP… (press /)"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
          <Select
            id="devices-filter-status"
            aria-label="Status"
            value={status}
            onChange={(e) => update({ status: e.target.value, offset: "" })}
          >
            <option value="">Any status</option>
            <option value="online">Online</option>
            <option value="offline">Offline</option>
            <option value="error">Error</option>
            <option value="maintenance">Maintenance</option>
          </Select>
          <Select
            id="devices-filter-site"
            aria-label="Site"
            value={siteId}
            onChange={(e) => update({ site_id: e.target.value, offset: "" })}
          >
            <option value="">All sites</option>
            {sites.data?.sites.map((s) => (
              <option key={s.site_id} value={s.site_id}>
                {s.name}
              </option>
            ))}
          </Select>
          <Select
            id="devices-filter-type"
            aria-label="Type"
            value={deviceType}
            onChange={(e) => update({ device_type: e.target.value, offset: "" })}
          >
            <option value="">All types</option>
            {["pos_terminal", "kiosk", "server", "iot_sensor", "payment_terminal", "printer"].map((t) => (
              <option key={t} value={t}>
                {t.replace(/_/g, " ")}
              </option>
            ))}
          </Select>
        </search>
        <DataTable
          id="devices-table"
          what="The device list"
          rows={devices.data?.devices}
          error={devices.error}
          rowKey={(d) => d.device_id}
          empty="No device matches."
          columns={[
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
            { header: "Segment", csv: (d) => d.segment },
            { header: "Simulated", csv: (d) => d.is_simulated ?? false },
          ]}
        />
        {devices.data && devices.data.devices.length > 0 && (
          <div className="row">
            <span className="muted">
              {offset + 1}–{offset + devices.data.devices.length}
              {devices.data.total !== undefined ? ` of ${devices.data.total}` : ""}
            </span>
            <Button
              id="devices-prev"
              disabled={offset === 0}
              onClick={() => update({ offset: String(Math.max(0, offset - PAGE)) })}
            >
              Previous
            </Button>
            <Button
              id="devices-next"
              disabled={
                devices.data.total !== undefined
                  ? offset + devices.data.devices.length >= devices.data.total
                  : devices.data.devices.length < PAGE
              }
              onClick={() => update({ offset: String(offset + PAGE) })}
            >
              Next
            </Button>
          </div>
        )}
      </Card>
    </>
  );
}
