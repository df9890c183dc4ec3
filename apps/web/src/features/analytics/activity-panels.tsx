import { useState } from "react";
import { DataTable, rowsOf } from "../../components/data-table.tsx";
import { FilterSelect, Input, JsonView } from "../../components/ui/index.tsx";
import { formatDuration } from "../../lib/format.ts";
import { useEndpoint } from "../../lib/use-api.ts";

export function UserActivityPanel() {
  const [type, setType] = useState("");
  const [user, setUser] = useState("");
  const activities = useEndpoint(
    "GET /analytics/user-activities",
    { query: { activity_type: type, user_id: user.trim() || undefined, limit: 200 } },
    { pollMs: 15_000 },
  );
  return (
    <>
      <div className="filters">
        <FilterSelect
          id="activity-filter-type"
          label="Activity type"
          value={type}
          onValue={setType}
          any="Any activity"
          options={["page_view", "click", "search", "form_submit"].map((t) => ({
            value: t,
            label: t.replace("_", " "),
          }))}
        />
        <Input id="activity-filter-user" aria-label="User id" placeholder="User id" value={user} onValue={setUser} />
      </div>
      <DataTable
        id="activity-table"
        what="User activity"
        rows={rowsOf(activities, (d) => d.activities)}
        row={(a) => ({ key: a.id })}
        empty="No activity recorded."
        columns={(c) => [
          c.time("When", (a) => a.timestamp),
          c.text("User", (a) => a.username ?? a.user_id),
          c.text("Activity", (a) => a.activity_type),
          c.mono("Page", (a) => a.page_url),
          {
            header: "Element / query",
            cell: (a) => (a.search_query ? <>“{a.search_query}”</> : (a.element_id ?? "—")),
            csv: (a) => a.search_query ?? a.element_id,
          },
          c.number("Time on page", (a) => a.duration_ms, formatDuration),
        ]}
      />
    </>
  );
}

export function AuditLogPanel() {
  const [eventType, setEventType] = useState("");
  const logs = useEndpoint(
    "GET /analytics/audit-logs",
    { query: { event_type: eventType.trim() || undefined, limit: 200 } },
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
          onValue={setEventType}
        />
      </div>
      <DataTable
        id="audit-table"
        what="The audit log"
        rows={rowsOf(logs, (d) => d.audit_logs)}
        row={(l) => ({ key: l.id })}
        empty="No audit event matches."
        columns={(c) => [
          c.time("When", (l) => l.created_at),
          { header: "Event", cell: (l) => <code>{l.event_type}</code>, csv: (l) => l.event_type },
          c.text("Description", (l) => l.description),
          c.text("User", (l) => l.username ?? l.user_id ?? "system"),
          c.mono("IP", (l) => l.ip_address),
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
