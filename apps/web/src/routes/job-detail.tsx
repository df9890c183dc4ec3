import { Link, useParams } from "react-router";
import { DataTable } from "../components/data-table.tsx";
import { PendingDetail } from "../components/detail-page.tsx";
import { TableHead } from "../components/table-head.tsx";
import {
  Button,
  Card,
  Empty,
  ErrorMessage,
  JsonView,
  LoadableCard,
  PageHeader,
  StatusBadge,
} from "../components/ui/index.tsx";
import { ProgressBar } from "../features/jobs/progress-bar.tsx";
import { ReleaseCell } from "../features/jobs/release-cell.tsx";
import { type JobDetail, TERMINAL } from "../features/jobs/types.ts";
import { post } from "../lib/api.ts";
import { useCan } from "../lib/auth.tsx";
import { formatDateTime, formatDuration } from "../lib/format.ts";
import { useAction } from "../lib/use-action.ts";
import { useEndpoint } from "../lib/use-api.ts";

export default function JobDetailPage() {
  const { jobId = "" } = useParams();
  const canCancel = useCan("operator");
  const isAdmin = useCan("admin");
  const job = useEndpoint("GET /jobs/{job_id}", { params: { job_id: jobId } }, { pollMs: 2_000 });
  const outcomes = useEndpoint("GET /analytics/jobs", isAdmin ? { query: { job_id: jobId, limit: 200 } } : null, {
    pollMs: 5_000,
  });
  const cancelling = useAction();
  const j = job.data?.data;

  if (!j) return <PendingDetail title={jobId} list="/jobs" what="job" error={job.error} />;
  const done = TERMINAL.has(j.status);
  const checks = j.config_checks;

  return (
    <>
      <PageHeader
        title={
          <>
            {j.action} <StatusBadge status={j.status} />
          </>
        }
        subtitle={
          <>
            <span className="mono">{j.job_id}</span> · {j.job_type} · {j.priority} priority ·{" "}
            <Link to="/jobs">All jobs</Link>
          </>
        }
        actions={
          canCancel &&
          !done && (
            <Button
              id="job-cancel"
              variant="danger"
              onClick={() =>
                cancelling.run(async () => {
                  await post(`/jobs/${encodeURIComponent(j.job_id)}/cancel`);
                  job.reload();
                })
              }
            >
              Cancel job
            </Button>
          )
        }
      />
      <ErrorMessage error={cancelling.error} what="Cancelling the job" />
      {j.error_message && <div className="alert alert-bad">{j.error_message}</div>}
      {checks && checks.unsuccessful > 0 && (
        <div className="alert alert-warn" id="job-config-check-warning">
          The closed-loop check found the change unsuccessful on {checks.unsuccessful} of {checks.changed}{" "}
          {checks.changed === 1 ? "device" : "devices"} that applied it (performance degraded, or no health report after
          the settling period)
          {checks.rolled_back > 0 ? `; ${checks.rolled_back} rolled back to the previous configuration` : ""}.
        </div>
      )}
      <div className="grid-2">
        <Card title="Progress" id="job-progress">
          {j.progress ? <ProgressBar p={j.progress} /> : <span className="muted">No progress reported.</span>}
          <dl className="props" style={{ marginTop: 12 }}>
            <dt>Target</dt>
            <dd>
              {j.site_id ?? "all sites"}
              {j.segment ? ` / ${j.segment}` : ""}
              {j.device_ids?.length ? ` / ${j.device_ids.join(", ")}` : ""}
            </dd>
            <dt>Created</dt>
            <dd>{formatDateTime(j.created_at)}</dd>
            <dt>Scheduled</dt>
            <dd>{formatDateTime(j.scheduled_at)}</dd>
            <dt>Started</dt>
            <dd>{formatDateTime(j.started_at)}</dd>
            <dt>Finished</dt>
            <dd>{formatDateTime(j.completed_at)}</dd>
          </dl>
        </Card>
        <Card title="Configuration">
          <dl className="props">
            {j.config_mode && (
              <>
                <dt>Applies as</dt>
                <dd id="job-config-mode">
                  Replaces each device's whole configuration (inline <code>payload.config</code>, or else the document
                  at the config URL)
                </dd>
              </>
            )}
            {checks && (
              <>
                <dt>Closed-loop check</dt>
                <dd id="job-config-checks">{describeChecks(checks)}</dd>
              </>
            )}
            {j.release_id && (
              <>
                <dt>Release</dt>
                <dd>
                  <Link to={`/releases/${encodeURIComponent(j.release_id)}`} id="job-release">
                    {j.release_id}
                  </Link>
                </dd>
              </>
            )}
            <dt>Config URL</dt>
            <dd>{j.config_url ?? "—"}</dd>
            <dt>Config version</dt>
            <dd>{j.config_version ?? "—"}</dd>
            <dt>Rollout</dt>
            <dd>
              <JsonView value={j.rollout} />
            </dd>
            <dt>Payload</dt>
            <dd>
              <JsonView value={j.payload} />
            </dd>
          </dl>
        </Card>
      </div>
      <Card title="Devices" id="job-devices">
        {!j.devices || j.devices.length === 0 ? (
          <Empty>No devices assigned yet.</Empty>
        ) : (
          <table className="table" id="job-devices-table">
            <TableHead
              headings={[
                "Device",
                { num: "Batch" },
                "Status",
                { num: "Attempts" },
                "Started",
                "Finished",
                checks && "Check",
                j.release_id && "Download / install",
                "Error",
              ]}
            />
            <tbody>
              {j.devices.map((d) => (
                <tr key={d.device_id}>
                  <td>
                    <Link to={`/devices/${encodeURIComponent(d.device_id)}?tab=commands`}>{d.device_id}</Link>
                  </td>
                  <td className="num">{d.batch ?? "—"}</td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td className="num">{d.attempts ?? "—"}</td>
                  <td>{formatDateTime(d.started_at)}</td>
                  <td>{formatDateTime(d.finished_at)}</td>
                  {checks && <td>{d.config_check ? <CheckBadge check={d.config_check} /> : "—"}</td>}
                  {j.release_id && (
                    <td>{d.release ? <ReleaseCell release={d.release} deviceId={d.device_id} /> : "—"}</td>
                  )}
                  <td>
                    {d.error_message ? (
                      <span className="error-text">
                        {d.error_code ? `${d.error_code}: ` : ""}
                        {d.error_message}
                      </span>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {isAdmin && (
        <LoadableCard title="Outcomes" id="job-outcomes" state={outcomes} what="Job outcomes">
          {(data) => (
            <DataTable
              what="Job outcomes"
              rows={data.outcomes}
              row={(o) => ({ key: o.id })}
              empty={done ? "No outcome recorded." : "Outcomes are recorded when the job finishes."}
              columns={[
                { header: "When", cell: (o) => formatDateTime(o.timestamp) },
                { header: "Device", cell: (o) => o.device_id ?? <em>whole job</em> },
                { header: "Status", cell: (o) => <StatusBadge status={o.status} /> },
                { header: "Duration", className: "num", cell: (o) => formatDuration(o.duration_ms) },
                { header: "Error", cell: (o) => o.error_message ?? "—" },
                { header: "Details", cell: (o) => <JsonView value={o.extra_data} /> },
              ]}
            />
          )}
        </LoadableCard>
      )}
    </>
  );
}

/** "3 devices changed: 2 successful, 1 unsuccessful (rolled back)" */
function describeChecks(c: NonNullable<JobDetail["config_checks"]>): string {
  if (c.changed === 0) return "No device has applied the change yet";
  const parts = [
    c.successful ? `${c.successful} successful` : null,
    c.unsuccessful ? `${c.unsuccessful} unsuccessful${c.rolled_back ? ` (${c.rolled_back} rolled back)` : ""}` : null,
    c.waiting ? `${c.waiting} waiting for the settling period` : null,
  ].filter(Boolean);
  return `${c.changed} ${c.changed === 1 ? "device" : "devices"} changed: ${parts.join(", ")}`;
}

const CHECK_TONE = { waiting: "info", successful: "ok", unsuccessful: "bad", rolled_back: "warn" } as const;

function CheckBadge({ check }: { check: keyof typeof CHECK_TONE }) {
  return <span className={`badge badge-${CHECK_TONE[check]}`}>{check.replace(/_/g, " ")}</span>;
}
