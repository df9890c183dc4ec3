import type { Release } from "@homepot/contracts/releases";
import { DataTable, rowsOf } from "../components/data-table.tsx";
import { LinkButton, ReleaseLink } from "../components/rollout-links.tsx";
import { Card, capitalized, PageHeader } from "../components/ui/index.tsx";
import { QueryFilterSelect } from "../components/ui/query-controls.tsx";
import { compatibilityText } from "../features/releases/compatibility.ts";
import { VersionChart } from "../features/releases/version-chart.tsx";
import { useCan } from "../lib/auth.tsx";
import { formatBytes } from "../lib/format.ts";
import { useEndpoint } from "../lib/use-api.ts";
import { useQueryFilters } from "../lib/use-query-filters.ts";

/** The release repository: every artifact with its compatibility and signer; operators upload. */
export default function ReleasesPage() {
  const { get } = useQueryFilters();
  const type = get("type");
  const status = get("status");
  const canUpload = useCan("operator");
  const releases = useEndpoint("GET /releases", {
    query: {
      limit: 200,
      ...(type ? { release_type: type as "software" | "firmware" } : {}),
      ...(status ? { status: status as "active" | "deprecated" } : {}),
    },
  });

  return (
    <>
      <PageHeader
        title="Releases"
        subtitle="Signed software and firmware artifacts, what they run on, and where they are installed"
        actions={
          canUpload && (
            <LinkButton to="/releases/new" id="release-new" variant="primary">
              Upload release
            </LinkButton>
          )
        }
      />
      <Card
        title="Releases"
        actions={
          <div className="row">
            <QueryFilterSelect
              id="releases-filter-type"
              label="Type"
              name="type"
              any="Any type"
              options={capitalized(["software", "firmware"])}
            />
            <QueryFilterSelect
              id="releases-filter-status"
              label="Status"
              name="status"
              any="Any status"
              options={capitalized(["active", "deprecated"])}
            />
          </div>
        }
      >
        <DataTable<Release>
          id="releases-table"
          what="Releases"
          rows={rowsOf(releases, (d) => d.releases)}
          row={(r) => ({ key: r.release_id, "data-release-id": r.release_id })}
          empty="No releases match."
          columns={(c) => [
            {
              header: "Name",
              cell: (r) => <ReleaseLink id={r.release_id}>{r.name}</ReleaseLink>,
              csv: (r) => r.name,
            },
            c.text("Version", (r) => r.version),
            c.text("Type", (r) => r.release_type),
            c.number("Size", (r) => r.size_bytes, formatBytes),
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
