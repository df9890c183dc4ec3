import { useState } from "react";
import { DataTable } from "../../components/data-table.tsx";
import { Input, JsonView, Select } from "../../components/ui/index.tsx";
import type { ListResponse } from "../../lib/api.ts";
import { formatDateTime, formatDuration } from "../../lib/format.ts";
import { useApi } from "../../lib/use-api.ts";

interface Activity {
  id: number;
  timestamp: string;
  user_id: string;
  username: string | null;
  session_id: string | null;
  activity_type: string;
  page_url: string | null;
  element_id: string | null;
  search_query: string | null;
  extra_data: unknown;
  duration_ms: number | null;
}

export function UserActivityPanel() {
  const [type, setType] = useState("");
  const [user, setUser] = useState("");
  const activities = useApi<ListResponse<"activities", Activity>>(
    "/analytics/user-activities",
    { activity_type: type, user_id: user.trim() || undefined, limit: 200 },
    { pollMs: 15_000 },
  );
  return (
    <>
      <div className="filters">
        <Select
          id="activity-filter-type"
          aria-label="Activity type"
          value={type}
          onChange={(e) => setType(e.target.value)}
        >
          <option value="">Any activity</option>
          {["page_view", "click", "search", "form_submit"].map((t) => (
            <option key={t} value={t}>
              {t.replace("_", " ")}
            </option>
          ))}
        </Select>
        <Input
          id="activity-filter-user"
          aria-label="User id"
          placeholder="User id"
          value={user}
          onChange={(e) => setUser(e.target.value)}
        />
      </div>
      <DataTable
        id="activity-table"
        what="User activity"
        rows={activities.data?.activities}
        error={activities.error}
        rowKey={(a) => a.id}
        empty="No activity recorded."
        columns={[
          { header: "When", cell: (a) => formatDateTime(a.timestamp), csv: (a) => a.timestamp },
          { header: "User", cell: (a) => a.username ?? a.user_id, csv: (a) => a.username ?? a.user_id },
          { header: "Activity", cell: (a) => a.activity_type, csv: (a) => a.activity_type },
          { header: "Page", cell: (a) => <span className="mono">{a.page_url ?? "—"}</span>, csv: (a) => a.page_url },
          {
            header: "Element / query",
            cell: (a) => (a.search_query ? <>“{a.search_query}”</> : (a.element_id ?? "—")),
            csv: (a) => a.search_query ?? a.element_id,
          },
          {
            header: "Time on page",
            className: "num",
            cell: (a) => formatDuration(a.duration_ms),
            csv: (a) => a.duration_ms,
          },
        ]}
      />
    </>
  );
}

interface AuditLog {
  id: number;
  created_at: string;
  event_type: string;
  description: string | null;
  user_id: number | null;
  username: string | null;
  old_values: unknown;
  new_values: unknown;
  event_metadata: unknown;
  ip_address: string | null;
}

export function AuditLogPanel() {
  const [eventType, setEventType] = useState("");
  const logs = useApi<ListResponse<"audit_logs", AuditLog>>(
    "/analytics/audit-logs",
    { event_type: eventType.trim() || undefined, limit: 200 },
    { pollMs: 30_000 },
  );
  return (
    <>
      <div className="filters">
        <Input
          id="audit-filter-event"
          aria-label="Event type"
          placeholder="Event type, e.g. user_login"
          value={eventType}
          onChange={(e) => setEventType(e.target.value)}
        />
      </div>
      <DataTable
        id="audit-table"
        what="The audit log"
        rows={logs.data?.audit_logs}
        error={logs.error}
        rowKey={(l) => l.id}
        empty="No audit event matches."
        columns={[
          { header: "When", cell: (l) => formatDateTime(l.created_at), csv: (l) => l.created_at },
          { header: "Event", cell: (l) => <code>{l.event_type}</code>, csv: (l) => l.event_type },
          { header: "Description", cell: (l) => l.description ?? "—", csv: (l) => l.description },
          {
            header: "User",
            cell: (l) => l.username ?? l.user_id ?? "system",
            csv: (l) => l.username ?? l.user_id ?? "system",
          },
          { header: "IP", cell: (l) => <span className="mono">{l.ip_address ?? "—"}</span>, csv: (l) => l.ip_address },
          {
            header: "Changes",
            cell: (l) =>
              (l.old_values != null || l.new_values != null) && (
                <details>
                  <summary>before / after</summary>
                  <JsonView value={{ before: l.old_values, after: l.new_values }} />
                </details>
              ),
            csv: (l) =>
              l.old_values != null || l.new_values != null ? { before: l.old_values, after: l.new_values } : null,
          },
        ]}
      />
    </>
  );
}
