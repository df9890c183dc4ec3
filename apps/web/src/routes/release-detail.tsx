import type { ReleaseDetail } from "@homepot/contracts/releases";
import { Link, useNavigate, useParams } from "react-router";
import { ActionButton } from "../components/action-button.tsx";
import { DataTable } from "../components/data-table.tsx";
import { PendingDetail } from "../components/detail-page.tsx";
import { jobColumn, LinkButton } from "../components/rollout-links.tsx";
import { Card, CopyButton, ErrorMessage, PageHeader, StatusBadge } from "../components/ui/index.tsx";
import { compatibilityText, rollOutLink } from "../features/releases/compatibility.ts";
import { call } from "../lib/api.ts";
import { useCan } from "../lib/auth.tsx";
import { formatBytes, formatDateTime } from "../lib/format.ts";
import { useAction } from "../lib/use-action.ts";
import { useEndpoint } from "../lib/use-api.ts";

/** One release: metadata, signature, the devices running it and the jobs delivering it; roll out, deprecate, delete. */
export default function ReleaseDetailPage() {
  const { releaseId = "" } = useParams();
  const navigate = useNavigate();
  const canOperate = useCan("operator");
  const canDelete = useCan("admin");
  const state = useEndpoint("GET /releases/{release_id}", { params: { release_id: releaseId } });
  const action = useAction(state.reload);
  // A deleted release is not fetched again: the page moves to the list.
  const deleting = useAction();
  const r = state.data?.data;

  if (!r) return <PendingDetail title={releaseId} list="/releases" what="release" error={state.error} />;
  const params = { params: { release_id: r.release_id } };

  return (
    <>
      <PageHeader
        title={
          <>
            {r.name} {r.version} <StatusBadge status={r.status} />
          </>
        }
        subtitle={
          <>
            <span className="mono">{r.release_id}</span> · {r.release_type} · <Link to="/releases">All releases</Link>
          </>
        }
        actions={
          <>
            {canOperate && r.status === "active" && (
              <>
                <LinkButton to={rollOutLink(r)} id="release-roll-out" variant="primary">
                  Roll out
                </LinkButton>
                <ActionButton
                  id="release-deprecate"
                  action={action}
                  run={() => call("POST /releases/{release_id}/deprecate", params)}
                  confirm={`Deprecate ${r.name} ${r.version}? No new job can deliver it.`}
                >
                  Deprecate
                </ActionButton>
              </>
            )}
            {canDelete && (
              <ActionButton
                id="release-delete"
                variant="danger"
                action={deleting}
                run={() => call("DELETE /releases/{release_id}", params)}
                confirm={`Delete ${r.name} ${r.version} and its artifact?`}
                onDone={() => navigate("/releases")}
              >
                Delete
              </ActionButton>
            )}
          </>
        }
      />
      <ErrorMessage error={action.error ?? deleting.error} what="That" />
      <div className="grid-2">
        <Card title="Release" id="release-metadata">
          <dl className="props">
            <dt>File</dt>
            <dd>
              {r.filename ?? "—"} ({formatBytes(r.size_bytes)})
            </dd>
            <dt>Runs on</dt>
            <dd id="release-compatibility">{compatibilityText(r)}</dd>
            <dt>Notes</dt>
            <dd>{r.notes ?? "—"}</dd>
            <dt>Created</dt>
            <dd>{formatDateTime(r.created_at)}</dd>
            <dt>Deprecated</dt>
            <dd>{formatDateTime(r.deprecated_at)}</dd>
          </dl>
        </Card>
        <Card title="Signature" id="release-signature">
          <dl className="props">
            <dt>SHA-256</dt>
            <dd className="mono">
              {r.sha256} <CopyButton text={r.sha256} id="release-copy-sha" />
            </dd>
            <dt>Signed by</dt>
            <dd id="release-signed-by">{r.signed_by} (Ed25519)</dd>
            <dt>Signature</dt>
            <dd className="mono" style={{ wordBreak: "break-all" }}>
              {r.signature}
            </dd>
            <dt>Key</dt>
            <dd>
              <details>
                <summary>Public key</summary>
                <pre className="mono">{r.signing_key}</pre>
              </details>
            </dd>
          </dl>
        </Card>
      </div>
      <Card title={`Devices running ${r.version} (${r.installed_on})`} id="release-devices">
        <DataTable<ReleaseDetail["running_devices"][number]>
          id="release-devices-table"
          what="Devices running the release"
          rows={r.running_devices}
          row={(d) => ({ key: d.device_id })}
          empty="No active device reports this version."
          columns={(c) => [
            c.device((d) => d.device_id),
            c.text("Name", (d) => d.name),
            c.text("Site", (d) => d.site_id),
            c.status("Status", (d) => d.status),
          ]}
        />
      </Card>
      <Card title={`Jobs delivering it (${r.jobs})`} id="release-jobs">
        <DataTable<ReleaseDetail["delivering_jobs"][number]>
          id="release-jobs-table"
          what="Jobs delivering the release"
          rows={r.delivering_jobs}
          row={(j) => ({ key: j.job_id })}
          empty="No job has delivered it."
          columns={(c) => [
            jobColumn((j) => j.job_id),
            c.text("Action", (j) => j.action),
            c.status("Status", (j) => j.status),
            c.ago("Created", (j) => j.created_at),
          ]}
        />
      </Card>
    </>
  );
}
