import { Link, useSearchParams } from "react-router";
import { Card, Empty, Loadable, PageHeader, Select, StatusBadge } from "../components/ui/index.tsx";
import type { JobView } from "../features/jobs/types.ts";
import type { ListResponse } from "../lib/api.ts";
import { useCan } from "../lib/auth.tsx";
import { formatDateTime, timeAgo } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";

export default function JobsPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const canCreate = useCan("operator");
  const jobs = useApi<ListResponse<"jobs", JobView>>("/jobs", { status, limit: 100 }, { pollMs: 5_000 });

  return (
    <>
      <PageHeader
        title="Jobs"
        subtitle="Config updates, restarts and firmware rollouts across sites and segments"
        actions={
          canCreate && (
            <Link to="/jobs/new" id="job-new" className="btn btn-primary">
              New job
            </Link>
          )
        }
      />
      <Card
        title="Jobs"
        actions={
          <Select
            id="jobs-filter-status"
            aria-label="Status"
            value={status}
            onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {}, { replace: true })}
          >
            <option value="">Any status</option>
            {["pending", "sent", "completed", "partial", "failed", "cancelled"].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        }
      >
        <Loadable state={jobs} what="Jobs">
          {(data) =>
            data.jobs.length === 0 ? (
              <Empty>No jobs{status ? ` with status ${status}` : ""}.</Empty>
            ) : (
              <table className="table" id="jobs-table">
                <thead>
                  <tr>
                    <th>Job</th>
                    <th>Action</th>
                    <th>Type</th>
                    <th>Target</th>
                    <th>Priority</th>
                    <th>Status</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {data.jobs.map((j) => (
                    <tr key={j.job_id}>
                      <td>
                        <Link to={`/jobs/${encodeURIComponent(j.job_id)}`}>{j.job_id}</Link>
                      </td>
                      <td>{j.action}</td>
                      <td>{j.job_type ?? "—"}</td>
                      <td>
                        {j.site_id ?? "all sites"}
                        {j.segment ? ` / ${j.segment}` : ""}
                        {j.device_ids?.length ? ` / ${j.device_ids.length} devices` : ""}
                      </td>
                      <td>{j.priority ?? "—"}</td>
                      <td>
                        <StatusBadge status={j.status} />
                      </td>
                      <td title={formatDateTime(j.created_at)}>{timeAgo(j.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Loadable>
      </Card>
    </>
  );
}
