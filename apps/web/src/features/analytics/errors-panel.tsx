import { useState } from "react";
import { DataTable, rowsOf } from "../../components/data-table.tsx";
import { Button, ErrorMessage, FilterSelect, JsonView } from "../../components/ui/index.tsx";
import { call } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";

const CATEGORIES = [
  "api",
  "database",
  "device",
  "job",
  "frontend",
  "security",
  "system",
  "validation",
  "external_service",
];

export function ErrorsPanel() {
  const [category, setCategory] = useState("");
  const [severity, setSeverity] = useState("");
  const [resolved, setResolved] = useState("false");
  const errors = useEndpoint(
    "GET /analytics/errors",
    { query: { category, severity, resolved, limit: 100 } },
    { pollMs: 15_000 },
  );
  const resolving = useAction(errors.reload);
  const resolve = (id: number) =>
    resolving.run(() => call("PATCH /analytics/errors/{id}", { params: { id }, body: { resolved: true } }));

  return (
    <>
      <div className="filters">
        <FilterSelect
          id="errors-filter-category"
          label="Category"
          value={category}
          onValue={setCategory}
          any="Any category"
          options={CATEGORIES}
        />
        <FilterSelect
          id="errors-filter-severity"
          label="Severity"
          value={severity}
          onValue={setSeverity}
          any="Any severity"
          options={["critical", "error", "warning", "info"]}
        />
        <FilterSelect
          id="errors-filter-resolved"
          label="Resolved"
          value={resolved}
          onValue={setResolved}
          options={[
            { value: "false", label: "Open" },
            { value: "true", label: "Resolved" },
            { value: "", label: "All" },
          ]}
        />
      </div>
      <ErrorMessage error={resolving.error} what="Resolving the error" />
      <DataTable
        id="errors-table"
        what="Error logs"
        rows={rowsOf(errors, (d) => d.errors)}
        row={(e) => ({ key: e.id })}
        empty="No errors match."
        columns={(c) => [
          c.time("When", (e) => e.timestamp),
          c.status("Severity", (e) => e.severity),
          c.text("Category", (e) => e.category),
          {
            header: "Message",
            cell: (e) => (
              <>
                {e.error_code && <code>{e.error_code}</code>} {e.error_message}
                {(e.stack_trace || e.context != null) && (
                  <details>
                    <summary>details</summary>
                    {e.stack_trace && <pre className="json">{e.stack_trace}</pre>}
                    <JsonView value={e.context} />
                  </details>
                )}
              </>
            ),
            csv: (e) => e.error_message,
          },
          c.text("Code", (e) => e.error_code),
          c.mono("Where", (e) => e.endpoint ?? e.device_id),
          {
            header: "Resolved",
            cell: (e) =>
              e.resolved ? (
                <small className="muted">
                  resolved {e.resolved_by ? `by ${e.resolved_by}` : ""} {formatDateTime(e.resolved_at)}
                </small>
              ) : (
                <Button id={`resolve-error-${e.id}`} onClick={() => void resolve(e.id)}>
                  Resolve
                </Button>
              ),
            csv: (e) => (e.resolved ? (e.resolved_at ?? "yes") : ""),
          },
        ]}
      />
    </>
  );
}
