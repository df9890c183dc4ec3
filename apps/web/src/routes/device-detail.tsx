import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { PendingDetail } from "../components/detail-page.tsx";
import { Card, JsonView, PageHeader, StatusBadge, Tabs } from "../components/ui/index.tsx";
import { AlertCount } from "../features/alerts/alert-count.tsx";
import { AskBox } from "../features/ask/ask-box.tsx";
import { ApiKeyPanel } from "../features/devices/api-key-panel.tsx";
import { CommandsPanel } from "../features/devices/commands-panel.tsx";
import { DeviceDnaCard, OsIcon } from "../features/devices/device-dna-card.tsx";
import { ConfigHistoryPanel, HealthChecksPanel, StateTimeline } from "../features/devices/history-panels.tsx";
import { LastHeartbeat, LifecycleBadges, LifecycleCard } from "../features/devices/lifecycle.tsx";
import { MetricsPanel } from "../features/devices/metrics-panel.tsx";
import { PermissionsPanel } from "../features/devices/permissions-panel.tsx";
import { PushPanel } from "../features/devices/push-panel.tsx";
import { DeviceAuditPanel, DeviceJobsPanel, LiveLogsPanel } from "../features/devices/report-panels.tsx";
import { TagEditor } from "../features/devices/tag-editor.tsx";
import { TerminalPanel } from "../features/devices/terminal-panel.tsx";
import { DeviceHealthCard } from "../features/insights/device-health-card.tsx";
import { useCan } from "../lib/auth.tsx";
import { formatDateTime, timeAgo } from "../lib/format.ts";
import { useEndpoint } from "../lib/use-api.ts";

type Tab =
  | "overview"
  | "commands"
  | "terminal"
  | "logs"
  | "audit"
  | "jobs"
  | "push"
  | "permissions"
  | "health"
  | "history"
  | "config"
  | "key";
/** Tabs only operators and admins see (the terminal, the audit record, the grants). */
const OPERATOR_TABS = new Set<Tab>(["terminal", "audit", "permissions"]);
const ALL_TABS: { id: Tab; label: string }[] = [
  { id: "overview", label: "Overview" },
  { id: "commands", label: "Commands" },
  { id: "terminal", label: "Terminal" },
  { id: "logs", label: "Live logs" },
  { id: "audit", label: "Audit" },
  { id: "jobs", label: "Jobs" },
  { id: "push", label: "Push" },
  { id: "permissions", label: "Consent" },
  { id: "health", label: "Health checks" },
  { id: "history", label: "State history" },
  { id: "config", label: "Configuration" },
  { id: "key", label: "API key" },
];

export default function DeviceDetailPage() {
  const { deviceId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const isOperator = useCan("operator");
  // An installer sees what the device is and where, not its data (metrics, health, history, commands).
  const canRead = useCan("viewer");
  const TABS = canRead ? ALL_TABS.filter((t) => isOperator || !OPERATOR_TABS.has(t.id)) : ALL_TABS.slice(0, 1);
  const tab = (TABS.find((t) => t.id === params.get("tab"))?.id ?? "overview") as Tab;
  const device = useEndpoint("GET /devices/{device_id}", { params: { device_id: deviceId } }, { pollMs: 10_000 });
  const d = device.data?.data;

  if (!d) return <PendingDetail title={deviceId} list="/devices" what="device" error={device.error} />;

  return (
    <>
      <PageHeader
        title={
          <>
            {d.name} <LifecycleBadges device={d} /> <AlertCount deviceId={d.device_id} />
          </>
        }
        subtitle={
          <>
            <span className="mono">{d.device_id}</span> · {d.device_type} at{" "}
            <Link to={`/sites/${encodeURIComponent(d.site_id)}`}>{d.site_name ?? d.site_id}</Link> · last seen{" "}
            {timeAgo(d.last_seen)} · last heartbeat <LastHeartbeat at={d.last_heartbeat_at} />
          </>
        }
      />
      <Tabs idPrefix="device" tabs={TABS} value={tab} onChange={(t) => setParams({ tab: t }, { replace: true })} />
      {tab === "overview" && (
        <>
          <div className="grid-2">
            <Card title="Device">
              <dl className="props">
                <dt>Status</dt>
                <dd>
                  <StatusBadge status={d.status} /> <OsIcon family={d.os_family} />
                </dd>
                <dt>Site</dt>
                <dd>{d.site_name ?? d.site_id}</dd>
                <dt>Tags</dt>
                <dd>
                  <TagEditor deviceId={d.device_id} tags={d.tags ?? []} onSaved={device.reload} />
                </dd>
                <dt>Segment</dt>
                <dd>{d.segment ?? "—"}</dd>
                <dt>IP address</dt>
                <dd className="mono">{d.ip_address ?? "—"}</dd>
                <dt>Kind</dt>
                <dd>{d.is_simulated ? "simulated" : "real agent"}</dd>
                <dt>Software</dt>
                <dd className="mono">{d.software_version ?? "—"}</dd>
                <dt>Firmware</dt>
                <dd>{d.firmware_version ?? "—"}</dd>
                <dt>Config version</dt>
                <dd>{d.config_version ?? "—"}</dd>
                <dt>Last seen</dt>
                <dd>{formatDateTime(d.last_seen)}</dd>
                <dt>Registered</dt>
                <dd>{formatDateTime(d.created_at)}</dd>
              </dl>
            </Card>
            {canRead && <DeviceHealthCard deviceId={d.device_id} />}
          </div>
          {canRead && (
            <LifecycleCard
              device={d}
              onChanged={device.reload}
              onArchived={() => navigate(`/devices?archived=true&search=${encodeURIComponent(d.device_id)}`)}
            />
          )}
          <DeviceDnaCard device={d} />
          {canRead && (
            <>
              <AskBox deviceId={d.device_id} />
              <MetricsPanel deviceId={d.device_id} />
            </>
          )}
          <Card title="Current configuration">
            <JsonView value={d.config} />
          </Card>
        </>
      )}
      {tab === "commands" && <CommandsPanel deviceId={d.device_id} />}
      {tab === "terminal" && <TerminalPanel deviceId={d.device_id} />}
      {tab === "logs" && <LiveLogsPanel deviceId={d.device_id} />}
      {tab === "audit" && <DeviceAuditPanel deviceId={d.device_id} />}
      {tab === "jobs" && <DeviceJobsPanel deviceId={d.device_id} />}
      {tab === "push" && <PushPanel deviceId={d.device_id} />}
      {tab === "permissions" && <PermissionsPanel deviceId={d.device_id} />}
      {tab === "health" && <HealthChecksPanel deviceId={d.device_id} />}
      {tab === "history" && <StateTimeline deviceId={d.device_id} />}
      {tab === "config" && <ConfigHistoryPanel deviceId={d.device_id} />}
      {tab === "key" && <ApiKeyPanel device={d} onChanged={device.reload} />}
    </>
  );
}
