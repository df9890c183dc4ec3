import type { DeviceLog } from "@homepot/contracts/agent";
import { useEffect, useRef, useState } from "react";
import { DataTable, rowsOf } from "../../components/data-table.tsx";
import { Button, Card, ErrorMessage } from "../../components/ui/index.tsx";
import { type ApiError, call, toApiError } from "../../lib/api.ts";
import { useDeviceList } from "./use-device-list.ts";

const MAX_LINES = 1000;

/** The device's live log lines: the newest 200, then every new line as it arrives (polled with after_id). */
export function LiveLogsPanel({ deviceId }: { deviceId: string }) {
  const [lines, setLines] = useState<DeviceLog[]>([]);
  const [error, setError] = useState<ApiError>();
  const [paused, setPaused] = useState(false);
  const lastId = useRef<number | null>(null);
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    let stopped = false;
    lastId.current = null;
    setLines([]);
    const fetchLines = async () => {
      try {
        const after = lastId.current;
        const res = await call("GET /devices/{device_id}/logs", {
          params: { device_id: deviceId },
          query: after === null ? { limit: 200 } : { after_id: after, limit: 500 },
        });
        if (stopped) return;
        const fresh = after === null ? [...res.logs].reverse() : res.logs;
        lastId.current = Math.max(res.last_id, fresh.at(-1)?.id ?? 0);
        if (fresh.length) setLines((old) => [...old, ...fresh].slice(-MAX_LINES));
        setError(undefined);
      } catch (e) {
        if (!stopped) setError(toApiError(e));
      }
    };
    void fetchLines();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && !paused) void fetchLines();
    }, 2_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [deviceId, paused]);

  // Follows new lines unless the reader scrolled up.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when new lines arrive
  useEffect(() => {
    const el = box.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <Card title="Live logs" id="device-live-logs">
      <div className="row">
        <Button id="live-logs-pause" variant="ghost" onClick={() => setPaused((p) => !p)}>
          {paused ? "Follow" : "Pause"}
        </Button>
        <span className="muted">{paused ? "paused" : "following new lines"}</span>
      </div>
      <ErrorMessage error={error} what="Live logs" />
      <pre className="terminal" ref={box} id="live-logs" aria-live="polite">
        {lines.length === 0 ? (
          <span className="muted">No log line from this device yet.</span>
        ) : (
          lines.map((l) => (
            <div key={l.id} className={`log-line log-${l.level}`} data-level={l.level}>
              <span className="muted">{new Date(l.timestamp).toLocaleTimeString()}</span> {l.level.toUpperCase()} [
              {l.category}] {l.message}
            </div>
          ))
        )}
      </pre>
    </Card>
  );
}

/** Audit events about the device (operators and admins). */
export function DeviceAuditPanel({ deviceId }: { deviceId: string }) {
  const audit = useDeviceList("GET /devices/{device_id}/audit-logs", deviceId, 100, 10_000);
  return (
    <Card title="Audit" id="device-audit">
      <DataTable
        id="device-audit-table"
        what="Device audit"
        rows={rowsOf(audit, (d) => d.audit_logs)}
        row={(r) => ({ key: r.id })}
        empty="Nothing recorded about this device yet."
        columns={(c) => [
          c.ago("When", (r) => r.created_at),
          { header: "Event", cell: (r) => <code>{r.event_type}</code>, csv: (r) => r.event_type },
          {
            header: "By",
            cell: (r) => r.username ?? <span className="muted">device / system</span>,
            csv: (r) => r.username,
          },
          { header: "What", cell: (r) => r.description, csv: (r) => r.description },
          c.details("Details", "data", (r) => r.event_metadata),
        ]}
      />
    </Card>
  );
}

/** Work the device reported doing on its own. */
export function DeviceJobsPanel({ deviceId }: { deviceId: string }) {
  const jobs = useDeviceList("GET /devices/{device_id}/device-jobs", deviceId, 100, 5_000);
  return (
    <Card title="Jobs the device ran" id="device-jobs">
      <DataTable
        id="device-jobs-table"
        what="Device jobs"
        rows={rowsOf(jobs, (d) => d.jobs)}
        row={(j) => ({ key: j.job_id })}
        empty="The device has not reported any job."
        columns={(c) => [
          c.ago("Started", (j) => j.created_at),
          { header: "Action", cell: (j) => <strong>{j.action}</strong>, csv: (j) => j.action },
          c.text("Priority", (j) => j.priority),
          c.status("Status", (j) => j.status),
          c.outcome(
            "Result",
            (j) => j.error_message,
            (j) => j.result,
          ),
        ]}
      />
    </Card>
  );
}
