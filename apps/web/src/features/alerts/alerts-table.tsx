import type { AlertList } from "@homepot/contracts/alerts";
import { useState } from "react";
import { Link } from "react-router";
import type { z } from "zod";
import { Button, Empty, ErrorMessage, Field, Input, Loadable, Select } from "../../components/ui/index.tsx";
import { ApiError, post } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import { useApi } from "../../lib/use-api.ts";

type Alert = z.infer<typeof AlertList>["alerts"][number];
const TONE: Record<string, string> = { critical: "badge-bad", warning: "badge-warn", info: "" };

/** The alerts list with its filters; operators acknowledge and resolve (with a note) from here. */
export function AlertsTable({ deviceId, siteId }: { deviceId?: string; siteId?: string }) {
  const [status, setStatus] = useState("active");
  const [severity, setSeverity] = useState("");
  const [site, setSite] = useState(siteId ?? "");
  const alerts = useApi<z.infer<typeof AlertList>>(
    "/alerts",
    { status, severity: severity || undefined, site_id: site || undefined, device_id: deviceId, limit: 200 },
    { pollMs: 15_000 },
  );
  const canAct = useCan("operator");
  const [error, setError] = useState<ApiError>();
  const act = async (a: Alert, action: "acknowledge" | "resolve") => {
    setError(undefined);
    const note =
      action === "resolve" ? (window.prompt(`Resolve alert #${a.id}: a note (optional)`) ?? undefined) : undefined;
    try {
      await post(`/alerts/${a.id}/${action}`, note ? { note } : {});
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      alerts.reload();
    }
  };
  return (
    <>
      <search className="filters" id="alerts-filters">
        <Field label="Status">
          {(id) => (
            <Select id={id} name="alerts-status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="active">open or acknowledged</option>
              <option value="open">open</option>
              <option value="acknowledged">acknowledged</option>
              <option value="resolved">resolved</option>
              <option value="all">all</option>
            </Select>
          )}
        </Field>
        <Field label="Severity">
          {(id) => (
            <Select id={id} name="alerts-severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
              <option value="">any</option>
              <option value="critical">critical</option>
              <option value="warning">warning</option>
              <option value="info">info</option>
            </Select>
          )}
        </Field>
        {!siteId && !deviceId && (
          <Field label="Site">
            {(id) => (
              <Input
                id={id}
                name="alerts-site"
                placeholder="site-001"
                value={site}
                onChange={(e) => setSite(e.target.value.trim())}
              />
            )}
          </Field>
        )}
      </search>
      <ErrorMessage error={error} what="The change" />
      <Loadable state={alerts} what="The alerts">
        {(data) =>
          data.alerts.length === 0 ? (
            <Empty>No alerts match.</Empty>
          ) : (
            <table className="table" id="alerts-table">
              <thead>
                <tr>
                  <th>Severity</th>
                  <th>Alert</th>
                  <th>Device</th>
                  <th>Status</th>
                  <th>Since</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.alerts.map((a) => (
                  <tr key={a.id} data-alert-id={a.id}>
                    <td>
                      <span className={`badge ${TONE[a.severity] ?? ""}`}>{a.severity}</span>
                    </td>
                    <td>
                      {a.title}
                      <div className="muted">
                        {a.message}
                        {a.occurrences > 1 ? ` · seen ${a.occurrences} times` : ""}
                        {a.flapping ? " · flapping (notifications paused)" : ""}
                        {a.resolution_note ? ` · note: ${a.resolution_note}` : ""}
                      </div>
                    </td>
                    <td>
                      {a.device_id ? <Link to={`/devices/${a.device_id}`}>{a.device_id}</Link> : "—"}
                      {a.site_id && <div className="muted">{a.site_id}</div>}
                    </td>
                    <td>{a.status}</td>
                    <td title={formatDateTime(a.created_at)}>{timeAgo(a.created_at)}</td>
                    <td className="row-actions">
                      {canAct && a.status === "open" && (
                        <Button onClick={() => void act(a, "acknowledge")}>Acknowledge</Button>
                      )}
                      {canAct && a.status !== "resolved" && (
                        <Button variant="secondary" onClick={() => void act(a, "resolve")}>
                          Resolve
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loadable>
    </>
  );
}
