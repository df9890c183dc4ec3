import { DataTable, rowsOf } from "../../components/data-table.tsx";
import { Card, JsonView, LoadableList, StatusBadge } from "../../components/ui/index.tsx";
import { formatDateTime, formatDuration } from "../../lib/format.ts";
import { useDeviceList } from "./use-device-list.ts";

export function HealthChecksPanel({ deviceId }: { deviceId: string }) {
  const checks = useDeviceList("GET /devices/{device_id}/health-checks", deviceId, 50, 15_000);
  return (
    <Card title="Health checks" id="device-health-checks">
      <DataTable
        id="health-checks-table"
        what="Health checks"
        rows={rowsOf(checks, (d) => d.health_checks)}
        row={(h, i) => ({ key: h.id ?? i })}
        empty="No health check received yet."
        columns={(c) => [
          c.ago("When", (h) => h.timestamp),
          c.status("Result", (h) => (h.is_healthy ? "healthy" : "unhealthy")),
          c.number("Response", (h) => h.response_time_ms, formatDuration),
          c.text("Error", (h) => h.error_message),
          c.details("Details", "data", (h) => h.response_data),
        ]}
      />
    </Card>
  );
}

export function StateTimeline({ deviceId }: { deviceId: string }) {
  const history = useDeviceList("GET /devices/{device_id}/state-history", deviceId, 100, 15_000);
  return (
    <Card title="State history" id="device-state-history">
      <LoadableList
        state={history}
        what="State history"
        items={(data) => data.history}
        empty="No state change recorded."
      >
        {(changes) => (
          <ol className="timeline">
            {changes.map((s, i) => (
              <li key={s.id ?? i}>
                <StatusBadge status={s.previous_state ?? "unknown"} /> → <StatusBadge status={s.new_state} />{" "}
                <span className="muted" title={formatDateTime(s.timestamp)}>
                  {formatDateTime(s.timestamp)}
                </span>
                <div>
                  {s.reason ?? <span className="muted">no reason given</span>}
                  {s.changed_by && <span className="muted"> · by {s.changed_by}</span>}
                </div>
              </li>
            ))}
          </ol>
        )}
      </LoadableList>
    </Card>
  );
}

function perfDelta(before: unknown, after: unknown): { key: string; before: unknown; after: unknown }[] {
  const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((key) => ({ key, before: b[key], after: a[key] }));
}

const show = (v: unknown) =>
  v === undefined || v === null ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v);

export function ConfigHistoryPanel({ deviceId }: { deviceId: string }) {
  const history = useDeviceList("GET /devices/{device_id}/config-history", deviceId, 50, 30_000);
  return (
    <Card title="Configuration history" id="device-config-history">
      <LoadableList
        state={history}
        what="Configuration history"
        items={(data) => data.history}
        empty="No configuration change recorded."
      >
        {(changes) => (
          <div className="list">
            {changes.map((c, i) => (
              <div key={c.id ?? i} className="card">
                <div className="card-body">
                  <div className="row">
                    <strong>{c.parameter_name}</strong>
                    <StatusBadge
                      status={
                        c.was_rolled_back
                          ? "cancelled"
                          : c.was_successful === null || c.was_successful === undefined
                            ? "pending"
                            : c.was_successful
                              ? "succeeded"
                              : "failed"
                      }
                    />
                    <span className="muted">
                      {formatDateTime(c.timestamp)} · {c.change_type} by {c.changed_by}
                      {c.job_id ? ` · job ${c.job_id}` : ""}
                    </span>
                  </div>
                  {c.rollback_reason && <div className="alert alert-warn">Rolled back: {c.rollback_reason}</div>}
                  <div className="grid-2">
                    <div>
                      <h3>Before</h3>
                      <JsonView value={c.old_value} />
                    </div>
                    <div>
                      <h3>After</h3>
                      <JsonView value={c.new_value} />
                    </div>
                  </div>
                  {(c.performance_before != null || c.performance_after != null) && (
                    <DataTable
                      what="Performance"
                      rows={perfDelta(c.performance_before, c.performance_after)}
                      row={(r) => ({ key: r.key })}
                      empty="No figures."
                      columns={[
                        { header: "Performance", cell: (r) => r.key },
                        { header: "Before", className: "num", cell: (r) => show(r.before) },
                        {
                          header: "After",
                          className: "num",
                          cell: (r) => (c.performance_after ? show(r.after) : <span className="muted">settling…</span>),
                        },
                      ]}
                    />
                  )}
                </div>
              </div>
            ))}
          </div>
        )}
      </LoadableList>
    </Card>
  );
}
