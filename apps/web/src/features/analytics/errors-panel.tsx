import { useState } from "react";
import { Button, Empty, ErrorMessage, JsonView, Loadable, Select, StatusBadge } from "../../components/ui/index.tsx";
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
      <Loadable state={errors} what="Error logs">
        {(data) =>
          data.errors.length === 0 ? (
            <Empty>No errors match.</Empty>
          ) : (
            <table className="table" id="errors-table">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Severity</th>
                  <th>Category</th>
                  <th>Message</th>
                  <th>Where</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.errors.map((e) => (
                  <tr key={e.id}>
                    <td>{formatDateTime(e.timestamp)}</td>
                    <td>
                      <StatusBadge status={e.severity} />
                    </td>
                    <td>{e.category}</td>
                    <td>
                      {e.error_code && <code>{e.error_code}</code>} {e.error_message}
                      {(e.stack_trace || e.context != null) && (
                        <details>
                          <summary>details</summary>
                          {e.stack_trace && <pre className="json">{e.stack_trace}</pre>}
                          <JsonView value={e.context} />
                        </details>
                      )}
                    </td>
                    <td className="mono">{e.endpoint ?? e.device_id ?? "—"}</td>
                    <td>
                      {e.resolved ? (
                        <small className="muted">
                          resolved {e.resolved_by ? `by ${e.resolved_by}` : ""} {formatDateTime(e.resolved_at)}
                        </small>
                      ) : (
                        <Button id={`resolve-error-${e.id}`} onClick={() => resolve(e.id)}>
                          Resolve
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loadable>
    </>
  );
}
