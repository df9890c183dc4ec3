import type { CommandHistoryEntry } from "@homepot/contracts/command-templates";
import { useState } from "react";
import { columnIf } from "../../components/column-if.ts";
import { DataTable, rowsOf } from "../../components/data-table.tsx";
import { Button, Card, ErrorMessage, Input, StatusBadge } from "../../components/ui/index.tsx";
import { QueryFilterSelect } from "../../components/ui/query-controls.tsx";
import { post } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { useQueryFilters } from "../../lib/use-query-filters.ts";
import { CommandResult } from "./command-result.tsx";
import { COMMAND_STATUSES, COMMAND_TYPES, type TemplateDraft } from "./command-types.ts";

const PAGE = 50;
const WINDOWS: Record<string, number> = { hour: 3600_000, day: 86_400_000, week: 7 * 86_400_000 };

/** Every command of the fleet, newest first, filtered by status, type, site and time, paged; operators reuse them. */
export function CommandHistoryCard({ onSaveAsTemplate }: { onSaveAsTemplate: (draft: TemplateDraft) => void }) {
  const canSend = useCan("operator");
  const { get, update, offset } = useQueryFilters();
  const status = get("status");
  const type = get("type");
  const site = get("site");
  const timeWindow = get("window");
  // The window's start, fixed while the filter stays the same (a new Date each poll would change the query).
  const [since] = useState(() => new Map<string, string>());
  if (timeWindow && !since.has(timeWindow))
    since.set(timeWindow, new Date(Date.now() - (WINDOWS[timeWindow] ?? 0)).toISOString());
  const history = useEndpoint(
    "GET /commands",
    {
      query: {
        status: status || undefined,
        command_type: type || undefined,
        site_id: site || undefined,
        since: timeWindow ? since.get(timeWindow) : undefined,
        limit: PAGE,
        offset,
      },
    },
    { pollMs: 5_000 },
  );
  const action = useAction(history.reload);
  const [rerun, setRerun] = useState<string>();

  const setFilter = (key: string, value: string) => update({ [key]: value });
  const page = (to: number) => update({ offset: String(Math.max(0, to)) });

  const runAgain = (c: CommandHistoryEntry) =>
    action.run(async () => {
      const res = await post<{ data: { command_id: string } }>(`/devices/${encodeURIComponent(c.device_id)}/commands`, {
        command_type: c.command_type,
        payload: c.payload ?? {},
      });
      setRerun(res.data.command_id);
    });

  const total = history.data?.total ?? 0;
  return (
    <Card
      title="Command history"
      actions={
        <div className="filters">
          <QueryFilterSelect
            name="status"
            id="history-status"
            label="Status"
            any="Any status"
            options={COMMAND_STATUSES}
          />
          <QueryFilterSelect name="type" id="history-type" label="Type" any="Any type" options={COMMAND_TYPES} />
          <Input
            id="history-site"
            aria-label="Site"
            placeholder="Site id"
            defaultValue={site}
            onBlur={(e) => setFilter("site", e.target.value.trim())}
            onKeyDown={(e) => {
              if (e.key === "Enter") setFilter("site", e.currentTarget.value.trim());
            }}
          />
          <QueryFilterSelect
            name="window"
            id="history-window"
            label="Time"
            any="Any time"
            options={[
              { value: "hour", label: "Last hour" },
              { value: "day", label: "Last 24 hours" },
              { value: "week", label: "Last 7 days" },
            ]}
          />
        </div>
      }
    >
      <ErrorMessage error={action.error} what="Sending the command again" />
      <DataTable
        id="command-history-table"
        what="Command history"
        rows={rowsOf(history, (d) => d.commands)}
        row={(c) => ({ key: c.command_id, className: c.command_id === rerun ? "highlight" : undefined })}
        empty="No commands match these filters."
        toolbar={
          <span className="muted" id="history-range">
            {total === 0 ? "0" : `${offset + 1}–${Math.min(offset + PAGE, total)}`} of {total}
          </span>
        }
        columns={(c) => [
          {
            header: "Command",
            cell: (c) => <strong>{c.command_type.toLowerCase()}</strong>,
            csv: (c) => c.command_type,
          },
          c.device((r) => r.device_id, undefined, "commands"),
          c.text("Site", (r) => r.site_id),
          { header: "Status", cell: (c) => <StatusBadge status={c.lifecycle} />, csv: (c) => c.status },
          {
            header: "Sent by",
            cell: (c) => c.created_by_username ?? (c.job_id ? `job ${c.job_id}` : (c.created_by ?? "—")),
            csv: (c) => c.created_by_username ?? c.created_by,
          },
          c.ago("Created", (r) => r.created_at),
          {
            header: "Result",
            cell: (c) => <CommandResult c={c} />,
            csv: (c) => c.error_message ?? (c.result == null ? "" : JSON.stringify(c.result)),
          },
          ...columnIf(
            canSend,
            c.actions((cmd) => (
              <div className="row">
                <Button id={`run-again-${cmd.command_id}`} variant="ghost" onClick={() => runAgain(cmd)}>
                  Run again
                </Button>
                <Button
                  id={`save-template-${cmd.command_id}`}
                  variant="ghost"
                  onClick={() =>
                    onSaveAsTemplate({
                      name: "",
                      description: `From ${cmd.command_id} on ${cmd.device_id}`,
                      command_type: cmd.command_type.toLowerCase(),
                      payload: (cmd.payload as Record<string, unknown> | null) ?? {},
                      parameters: [],
                    })
                  }
                >
                  Save as template
                </Button>
              </div>
            )),
          ),
        ]}
      />
      <div className="row">
        <Button id="history-prev" disabled={offset === 0} onClick={() => page(offset - PAGE)}>
          Newer
        </Button>
        <Button id="history-next" disabled={offset + PAGE >= total} onClick={() => page(offset + PAGE)}>
          Older
        </Button>
      </div>
    </Card>
  );
}
