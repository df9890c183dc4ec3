import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import { DataTable, rowsOf } from "../components/data-table.tsx";
import { PendingDetail } from "../components/detail-page.tsx";
import { Button, Card, ErrorMessage, PageHeader, StatusBadge } from "../components/ui/index.tsx";
import { AlertCount } from "../features/alerts/alert-count.tsx";
import { AskBox } from "../features/ask/ask-box.tsx";
import { LifecycleBadges, lifecycleText } from "../features/devices/lifecycle.tsx";
import { RegisterDeviceForm } from "../features/devices/register-device-form.tsx";
import { SiteInsightsCard } from "../features/insights/site-insights-card.tsx";
import { BootstrapKeyCard } from "../features/sites/bootstrap-key-card.tsx";
import { EnrolmentIntentsCard } from "../features/sites/enrolment-intents-card.tsx";
import { ScheduleEditor } from "../features/sites/schedule-editor.tsx";
import { SiteForm } from "../features/sites/site-form.tsx";
import { SiteLifecycle } from "../features/sites/site-lifecycle.tsx";
import { post } from "../lib/api.ts";
import { useCan } from "../lib/auth.tsx";
import { formatDateTime, timeAgo } from "../lib/format.ts";
import { useAction } from "../lib/use-action.ts";
import { useEndpoint } from "../lib/use-api.ts";

export default function SiteDetailPage() {
  const { siteId = "" } = useParams();
  const navigate = useNavigate();
  const canEdit = useCan("operator");
  // An installer registers devices here; schedules, insights and questions are for those who read the fleet.
  const canRegister = useCan("installer");
  const canRead = useCan("viewer");
  const site = useEndpoint("GET /sites/{site_id}", { params: { site_id: siteId } });
  const devices = useEndpoint(
    "GET /sites/{site_id}/devices",
    { params: { site_id: siteId }, query: { limit: 1000 } },
    { pollMs: 15_000 },
  );
  const [editing, setEditing] = useState(false);
  const [registering, setRegistering] = useState(false);
  const deciding = useAction();
  const s = site.data?.data;
  // A self-provisioned device waiting for approval: approve (active) or reject (unpaired).
  const decide = (deviceId: string, decision: "approve" | "reject") =>
    deciding.run(async () => {
      await post(`/devices/${encodeURIComponent(deviceId)}/${decision}`);
      devices.reload();
    });

  if (!s) return <PendingDetail title={siteId} list="/sites" what="site" error={site.error} />;

  return (
    <>
      <PageHeader
        title={s.name}
        subtitle={
          <>
            <span className="mono">{s.site_id}</span>
            {s.location ? ` · ${s.location}` : ""}
            {s.timezone ? ` · ${s.timezone}` : ""} {s.is_active === false && <StatusBadge status="inactive" />}{" "}
            <AlertCount siteId={s.site_id} />
          </>
        }
        actions={
          <>
            {canEdit && (
              <Button id="site-edit" onClick={() => setEditing((e) => !e)}>
                {editing ? "Close" : "Edit"}
              </Button>
            )}
            <SiteLifecycle site={s} onChanged={() => site.reload()} onGone={() => navigate("/sites")} />
          </>
        }
      />
      <ErrorMessage error={deciding.error} what="This change" />
      {editing && (
        <Card title="Edit site">
          <SiteForm
            site={s}
            onCancel={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              site.reload();
            }}
          />
        </Card>
      )}
      {s.description && <p>{s.description}</p>}
      <Card
        title="Devices"
        id="site-devices"
        actions={
          canRegister && (
            <Button id="site-register-device" onClick={() => setRegistering((r) => !r)}>
              {registering ? "Close" : "Register device"}
            </Button>
          )
        }
      >
        {registering && <RegisterDeviceForm siteId={s.site_id} onRegistered={() => devices.reload()} />}
        <DataTable
          id="site-devices-table"
          what={`Devices of ${s.site_id}`}
          rows={rowsOf(devices, (d) => d.devices)}
          row={(d) => ({ key: d.device_id })}
          empty="No devices at this site yet."
          columns={(c) => [
            c.device((d) => d.device_id),
            c.text("Name", (d) => d.name),
            c.text("Type", (d) => d.device_type),
            c.status("Status", (d) => d.status),
            {
              header: "Lifecycle",
              cell: (d) => (
                <>
                  <LifecycleBadges device={d} />
                  {canEdit && d.lifecycle_state === "pending" && (
                    <span className="row-actions">
                      <Button onClick={() => decide(d.device_id, "approve")}>Approve</Button>
                      <Button variant="danger" onClick={() => decide(d.device_id, "reject")}>
                        Reject
                      </Button>
                    </span>
                  )}
                </>
              ),
              csv: lifecycleText,
            },
            { header: "IP", csv: (d) => d.ip_address },
            {
              header: "Last seen",
              cell: (d) => <span title={formatDateTime(d.last_seen)}>{timeAgo(d.last_seen)}</span>,
              csv: (d) => d.last_seen,
            },
          ]}
        />
      </Card>
      <EnrolmentIntentsCard siteId={s.site_id} />
      <BootstrapKeyCard site={s} onChanged={() => site.reload()} />
      {canRead && (
        <>
          <ScheduleEditor siteId={s.site_id} />
          <SiteInsightsCard siteId={s.site_id} />
          <AskBox siteId={s.site_id} />
        </>
      )}
    </>
  );
}
