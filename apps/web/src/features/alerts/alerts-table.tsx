import { useState } from "react";
import { Link } from "react-router";
import { DataTable, rowsOf } from "../../components/data-table.tsx";
import { Button, ErrorMessage, SelectField, TextField } from "../../components/ui/index.tsx";
import { call } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";

const TONE: Record<string, string> = { critical: "badge-bad", warning: "badge-warn", info: "" };
const STATUSES = [
  { value: "active", label: "open or acknowledged" },
  { value: "open", label: "open" },
  { value: "acknowledged", label: "acknowledged" },
  { value: "resolved", label: "resolved" },
  { value: "all", label: "all" },
];
const SEVERITIES = [{ value: "", label: "any" }, "critical", "warning", "info"];

/** The alerts list with its filters; operators acknowledge and resolve (with a note) from here. */
export function AlertsTable({ deviceId, siteId }: { deviceId?: string; siteId?: string }) {
  const [status, setStatus] = useState("active");
  const [severity, setSeverity] = useState("");
  const [site, setSite] = useState(siteId ?? "");
  const alerts = useEndpoint(
    "GET /alerts",
    { query: { status, severity: severity || undefined, site_id: site || undefined, device_id: deviceId, limit: 200 } },
    { pollMs: 15_000 },
  );
  const canAct = useCan("operator");
  const action = useAction(alerts.reload);
  const act = (id: number, step: "acknowledge" | "resolve") => {
    const note =
      step === "resolve" ? (window.prompt(`Resolve alert #${id}: a note (optional)`) ?? undefined) : undefined;
    return action.run(() => call(`POST /alerts/{id}/${step}`, { params: { id }, body: note ? { note } : {} }));
  };
  return (
    <>
      <search className="filters" id="alerts-filters">
        <SelectField label="Status" name="alerts-status" value={status} onValue={setStatus} options={STATUSES} />
        <SelectField
          label="Severity"
          name="alerts-severity"
          value={severity}
          onValue={setSeverity}
          options={SEVERITIES}
        />
        {!siteId && !deviceId && (
          <TextField
            label="Site"
            name="alerts-site"
            placeholder="site-001"
            value={site}
            onValue={(v) => setSite(v.trim())}
          />
        )}
      </search>
      <ErrorMessage error={action.error} what="The change" />
      <DataTable
        id="alerts-table"
        what="The alerts"
        rows={rowsOf(alerts, (d) => d.alerts)}
        row={(a) => ({ key: a.id, "data-alert-id": a.id })}
        empty="No alerts match."
        columns={(c) => [
          { header: "Severity", cell: (a) => <span className={`badge ${TONE[a.severity] ?? ""}`}>{a.severity}</span> },
          {
            header: "Alert",
            cell: (a) => (
              <>
                {a.title}
                <div className="muted">
                  {a.message}
                  {a.occurrences > 1 ? ` · seen ${a.occurrences} times` : ""}
                  {a.flapping ? " · flapping (notifications paused)" : ""}
                  {a.resolution_note ? ` · note: ${a.resolution_note}` : ""}
                </div>
              </>
            ),
          },
          {
            header: "Device",
            cell: (a) => (
              <>
                {a.device_id ? <Link to={`/devices/${a.device_id}`}>{a.device_id}</Link> : "—"}
                {a.site_id && <div className="muted">{a.site_id}</div>}
              </>
            ),
          },
          { header: "Status", cell: (a) => a.status },
          { header: "Since", cell: (a) => <span title={formatDateTime(a.created_at)}>{timeAgo(a.created_at)}</span> },
          c.actions(
            (a) =>
              canAct && (
                <>
                  {a.status === "open" && <Button onClick={() => void act(a.id, "acknowledge")}>Acknowledge</Button>}
                  {a.status !== "resolved" && <Button onClick={() => void act(a.id, "resolve")}>Resolve</Button>}
                </>
              ),
          ),
        ]}
      />
    </>
  );
}
