import { Link, useSearchParams } from "react-router";
import { DataTable } from "../components/data-table.tsx";
import { Card, PageHeader, Select, StatusBadge } from "../components/ui/index.tsx";
import type { JobView } from "../features/jobs/types.ts";
import { useCan } from "../lib/auth.tsx";
import { formatDateTime, plural, timeAgo } from "../lib/format.ts";
import { useEndpoint } from "../lib/use-api.ts";

const targetText = (j: JobView) =>
  `${j.site_id ?? "all sites"}${j.segment ? ` / ${j.segment}` : ""}${j.device_ids?.length ? ` / ${plural(j.device_ids.length, "device")}` : ""}`;

export default function JobsPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const canCreate = useCan("operator");
  const jobs = useEndpoint("GET /jobs", { query: { status, limit: 100 } }, { pollMs: 5_000 });

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
        <DataTable
          id="jobs-table"
          what="Jobs"
          rows={jobs.data?.jobs}
          error={jobs.error}
          rowKey={(j) => j.job_id}
          empty={`No jobs${status ? ` with status ${status}` : ""}.`}
          columns={[
            {
              header: "Job",
              cell: (j) => <Link to={`/jobs/${encodeURIComponent(j.job_id)}`}>{j.job_id}</Link>,
              csv: (j) => j.job_id,
            },
            { header: "Action", cell: (j) => j.action, csv: (j) => j.action },
            { header: "Type", cell: (j) => j.job_type ?? "—", csv: (j) => j.job_type },
            {
              header: "Target",
              cell: (j) => targetText(j),
              csv: (j) => targetText(j),
            },
            { header: "Priority", cell: (j) => j.priority ?? "—", csv: (j) => j.priority },
            { header: "Status", cell: (j) => <StatusBadge status={j.status} />, csv: (j) => j.status },
            {
              header: "Created",
              cell: (j) => <span title={formatDateTime(j.created_at)}>{timeAgo(j.created_at)}</span>,
              csv: (j) => j.created_at,
            },
          ]}
        />
      </Card>
    </>
  );
}
