import { DataTable, rowsOf } from "../components/data-table.tsx";
import { jobColumn, LinkButton } from "../components/rollout-links.tsx";
import { Card, PageHeader } from "../components/ui/index.tsx";
import { QueryFilterSelect } from "../components/ui/query-controls.tsx";
import type { JobView } from "../features/jobs/types.ts";
import { useCan } from "../lib/auth.tsx";
import { plural } from "../lib/format.ts";
import { useEndpoint } from "../lib/use-api.ts";
import { useQueryFilters } from "../lib/use-query-filters.ts";

const JOB_STATUSES = ["pending", "sent", "completed", "partial", "failed", "cancelled"];
const targetText = (j: JobView) =>
  `${j.site_id ?? "all sites"}${j.segment ? ` / ${j.segment}` : ""}${j.device_ids?.length ? ` / ${plural(j.device_ids.length, "device")}` : ""}`;

export default function JobsPage() {
  const { get } = useQueryFilters();
  const status = get("status");
  const canCreate = useCan("operator");
  const jobs = useEndpoint("GET /jobs", { query: { status, limit: 100 } }, { pollMs: 5_000 });

  return (
    <>
      <PageHeader
        title="Jobs"
        subtitle="Config updates, restarts and firmware rollouts across sites and segments"
        actions={
          canCreate && (
            <LinkButton to="/jobs/new" id="job-new" variant="primary">
              New job
            </LinkButton>
          )
        }
      />
      <Card
        title="Jobs"
        actions={
          <QueryFilterSelect
            id="jobs-filter-status"
            label="Status"
            name="status"
            any="Any status"
            options={JOB_STATUSES}
          />
        }
      >
        <DataTable
          id="jobs-table"
          what="Jobs"
          rows={rowsOf(jobs, (d) => d.jobs)}
          row={(j) => ({ key: j.job_id })}
          empty={`No jobs${status ? ` with status ${status}` : ""}.`}
          columns={(c) => [
            jobColumn((j) => j.job_id),
            c.text("Action", (j) => j.action),
            c.text("Type", (j) => j.job_type),
            c.text("Target", targetText),
            c.text("Priority", (j) => j.priority),
            c.status("Status", (j) => j.status),
            c.ago("Created", (j) => j.created_at),
          ]}
        />
      </Card>
    </>
  );
}
