import { useState } from "react";
import { Empty, Input, JsonView, Loadable, Select } from "../../components/ui/index.tsx";
import type { ListResponse } from "../../lib/api.ts";
import { formatDateTime, formatDuration } from "../../lib/format.ts";
import { useApi } from "../../lib/use-api.ts";

interface Activity {
  id: number;
  timestamp: string;
  user_id: string;
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
      <Loadable state={activities} what="User activity">
        {(data) =>
          data.activities.length === 0 ? (
            <Empty>No activity recorded.</Empty>
          ) : (
            <table className="table" id="activity-table">
              <thead>
                <tr>
                  <th>When</th>
                  <th>User</th>
                  <th>Activity</th>
                  <th>Page</th>
                  <th>Element / query</th>
                  <th className="num">Time on page</th>
                </tr>
              </thead>
              <tbody>
                {data.activities.map((a) => (
                  <tr key={a.id}>
                    <td>{formatDateTime(a.timestamp)}</td>
                    <td>{a.user_id}</td>
                    <td>{a.activity_type}</td>
                    <td className="mono">{a.page_url ?? "—"}</td>
                    <td>{a.search_query ? <>“{a.search_query}”</> : (a.element_id ?? "—")}</td>
                    <td className="num">{formatDuration(a.duration_ms)}</td>
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

interface AuditLog {
  id: number;
  created_at: string;
  event_type: string;
  description: string | null;
  user_id: number | null;
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
      <Loadable state={logs} what="The audit log">
        {(data) =>
          data.audit_logs.length === 0 ? (
            <Empty>No audit event matches.</Empty>
          ) : (
            <table className="table" id="audit-table">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Event</th>
                  <th>Description</th>
                  <th>User</th>
                  <th>IP</th>
                  <th>Changes</th>
                </tr>
              </thead>
              <tbody>
                {data.audit_logs.map((l) => (
                  <tr key={l.id}>
                    <td>{formatDateTime(l.created_at)}</td>
                    <td>
                      <code>{l.event_type}</code>
                    </td>
                    <td>{l.description ?? "—"}</td>
                    <td>{l.user_id ?? "system"}</td>
                    <td className="mono">{l.ip_address ?? "—"}</td>
                    <td>
                      {(l.old_values != null || l.new_values != null) && (
                        <details>
                          <summary>before / after</summary>
                          <JsonView value={{ before: l.old_values, after: l.new_values }} />
                        </details>
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
