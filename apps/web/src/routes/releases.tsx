import type { Release } from "@homepot/contracts/releases";
import { Link, useSearchParams } from "react-router";
import { DataTable } from "../components/data-table.tsx";
import { Card, PageHeader, Select } from "../components/ui/index.tsx";
import { compatibilityText } from "../features/releases/compatibility.ts";
import { VersionChart } from "../features/releases/version-chart.tsx";
import { useCan } from "../lib/auth.tsx";
import { formatBytes } from "../lib/format.ts";
import { useEndpoint } from "../lib/use-api.ts";

/** The release repository: every artifact with its compatibility and signer; operators upload. */
export default function ReleasesPage() {
  const [params, setParams] = useSearchParams();
  const type = params.get("type") ?? "";
  const status = params.get("status") ?? "";
  const canUpload = useCan("operator");
  const releases = useEndpoint("GET /releases", {
    query: {
      limit: 200,
      ...(type ? { release_type: type as "software" | "firmware" } : {}),
      ...(status ? { status: status as "active" | "deprecated" } : {}),
    },
  });
  const filter = (key: string) => (e: { target: { value: string } }) => {
    const next = new URLSearchParams(params);
    if (e.target.value) next.set(key, e.target.value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Releases"
        subtitle="Signed software and firmware artifacts, what they run on, and where they are installed"
        actions={
          canUpload && (
            <Link to="/releases/new" id="release-new" className="btn btn-primary">
              Upload release
            </Link>
          )
        }
      />
      <Card
        title="Releases"
        actions={
          <div className="row">
            <Select id="releases-filter-type" aria-label="Type" value={type} onChange={filter("type")}>
              <option value="">Any type</option>
              <option value="software">Software</option>
              <option value="firmware">Firmware</option>
            </Select>
            <Select id="releases-filter-status" aria-label="Status" value={status} onChange={filter("status")}>
              <option value="">Any status</option>
              <option value="active">Active</option>
              <option value="deprecated">Deprecated</option>
            </Select>
          </div>
        }
      >
        <DataTable<Release>
          id="releases-table"
          what="Releases"
          rows={releases.data?.releases}
          error={releases.error}
          rowKey={(r) => r.release_id}
          rowProps={(r) => ({ "data-release-id": r.release_id })}
          empty="No releases match."
          columns={(c) => [
            {
              header: "Name",
              cell: (r) => <Link to={`/releases/${encodeURIComponent(r.release_id)}`}>{r.name}</Link>,
              csv: (r) => r.name,
            },
            c.text("Version", (r) => r.version),
            c.text("Type", (r) => r.release_type),
            { header: "Size", className: "num", cell: (r) => formatBytes(r.size_bytes), csv: (r) => r.size_bytes },
            c.text("Compatibility", compatibilityText),
            c.text("Signed by", (r) => r.signed_by),
            c.status("Status", (r) => r.status),
            c.ago("Created", (r) => r.created_at),
          ]}
        />
      </Card>
      <VersionChart />
    </>
  );
}
