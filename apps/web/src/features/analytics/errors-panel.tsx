import { useState } from "react";
import { DataTable } from "../../components/data-table.tsx";
import { Button, ErrorMessage, JsonView, Select, StatusBadge } from "../../components/ui/index.tsx";
import { ApiError, api, type ListResponse } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useApi } from "../../lib/use-api.ts";

interface ErrorLog {
  id: number;
  timestamp: string;
  category: string;
  severity: string;
  error_code: string | null;
  error_message: string;
  stack_trace: string | null;
  endpoint: string | null;
  user_id: string | null;
  device_id: string | null;
  context: unknown;
  resolved: boolean;
  resolved_at: string | null;
  resolved_by: string | null;
}

export function ErrorsPanel() {
  const [category, setCategory] = useState("");
  const [severity, setSeverity] = useState("");
  const [resolved, setResolved] = useState("false");
  const errors = useApi<ListResponse<"errors", ErrorLog>>(
    "/analytics/errors",
    { category, severity, resolved, limit: 100 },
    { pollMs: 15_000 },
  );
  const [error, setError] = useState<ApiError>();

  const resolve = async (id: number) => {
    setError(undefined);
    try {
      await api(`/analytics/errors/${id}`, { method: "PATCH", body: { resolved: true } });
      errors.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  };

  return (
    <>
      <div className="filters">
        <Select
          id="errors-filter-category"
          aria-label="Category"
          value={category}
          onChange={(e) => setCategory(e.target.value)}
        >
          <option value="">Any category</option>
          {["api", "database", "device", "job", "frontend", "security", "system", "validation", "external_service"].map(
            (c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ),
          )}
        </Select>
        <Select
          id="errors-filter-severity"
          aria-label="Severity"
          value={severity}
          onChange={(e) => setSeverity(e.target.value)}
        >
          <option value="">Any severity</option>
          {["critical", "error", "warning", "info"].map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
        <Select
          id="errors-filter-resolved"
          aria-label="Resolved"
          value={resolved}
          onChange={(e) => setResolved(e.target.value)}
        >
          <option value="false">Open</option>
          <option value="true">Resolved</option>
          <option value="">All</option>
        </Select>
      </div>
      <ErrorMessage error={error} what="Resolving the error" />
      <DataTable
        id="errors-table"
        what="Error logs"
        rows={errors.data?.errors}
        error={errors.error}
        rowKey={(e) => e.id}
        empty="No errors match."
        columns={[
          { header: "When", cell: (e) => formatDateTime(e.timestamp), csv: (e) => e.timestamp },
          { header: "Severity", cell: (e) => <StatusBadge status={e.severity} />, csv: (e) => e.severity },
          { header: "Category", cell: (e) => e.category, csv: (e) => e.category },
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
          { header: "Code", cell: (e) => e.error_code ?? "—", csv: (e) => e.error_code },
          {
            header: "Where",
            cell: (e) => <span className="mono">{e.endpoint ?? e.device_id ?? "—"}</span>,
            csv: (e) => e.endpoint ?? e.device_id,
          },
          {
            header: "Resolved",
            cell: (e) =>
              e.resolved ? (
                <small className="muted">
                  resolved {e.resolved_by ? `by ${e.resolved_by}` : ""} {formatDateTime(e.resolved_at)}
                </small>
              ) : (
                <Button id={`resolve-error-${e.id}`} onClick={() => resolve(e.id)}>
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
