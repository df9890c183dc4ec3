import { type InputHTMLAttributes, useEffect, useState } from "react";
import { Button, Card, ErrorMessage, Input, Loadable } from "../../components/ui/index.tsx";
import { put } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { DAYS } from "../../lib/format.ts";
import type { Schedule } from "../../lib/types.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";

interface Row {
  day_of_week: number;
  exists: boolean;
  open_time: string;
  close_time: string;
  is_closed: boolean;
  is_maintenance_window: boolean;
  peak_hours_start: string;
  peak_hours_end: string;
  expected_transaction_volume: string;
  notes: string;
}

const hhmm = (t: string | null | undefined) => (t ? t.slice(0, 5) : "");

function toRows(schedules: Schedule[]): Row[] {
  return DAYS.map((_, day) => {
    const s = schedules.find((x) => x.day_of_week === day);
    return {
      day_of_week: day,
      exists: !!s,
      open_time: hhmm(s?.open_time),
      close_time: hhmm(s?.close_time),
      is_closed: s?.is_closed ?? false,
      is_maintenance_window: s?.is_maintenance_window ?? false,
      peak_hours_start: hhmm(s?.peak_hours_start),
      peak_hours_end: hhmm(s?.peak_hours_end),
      expected_transaction_volume: s?.expected_transaction_volume?.toString() ?? "",
      notes: s?.notes ?? "",
    };
  });
}

function body(r: Row) {
  const t = (v: string) => (v ? v : null);
  return {
    day_of_week: r.day_of_week,
    open_time: r.is_closed ? null : t(r.open_time),
    close_time: r.is_closed ? null : t(r.close_time),
    is_closed: r.is_closed,
    is_maintenance_window: r.is_maintenance_window,
    peak_hours_start: t(r.peak_hours_start),
    peak_hours_end: t(r.peak_hours_end),
    expected_transaction_volume: r.expected_transaction_volume ? Number(r.expected_transaction_volume) : null,
    notes: r.notes || null,
  };
}

type FlagKey = "is_closed" | "is_maintenance_window";
type TextKey =
  | "open_time"
  | "close_time"
  | "peak_hours_start"
  | "peak_hours_end"
  | "expected_transaction_volume"
  | "notes";

/** One column of the week: a checkbox (`flag`) or an input (`text`), labelled "<day> <label>" for screen readers. */
type Column = { header: string; label: string; className?: string } & (
  | { key: FlagKey; flag: true; whileOpen?: undefined }
  | { key: TextKey; flag?: undefined; input?: InputHTMLAttributes<HTMLInputElement>; whileOpen?: boolean }
);

const TIME = { type: "time" };
const COLUMNS: Column[] = [
  { key: "is_closed", flag: true, header: "Closed", label: "closed" },
  // A closed day has no opening hours.
  { key: "open_time", input: TIME, whileOpen: true, header: "Opens", label: "opens" },
  { key: "close_time", input: TIME, whileOpen: true, header: "Closes", label: "closes" },
  { key: "peak_hours_start", input: TIME, header: "Peak from", label: "peak from" },
  { key: "peak_hours_end", input: TIME, header: "Peak to", label: "peak to" },
  {
    key: "expected_transaction_volume",
    input: { type: "number", min: 0, style: { width: 90 } },
    header: "Expected tx",
    label: "expected transactions",
    className: "num",
  },
  { key: "is_maintenance_window", flag: true, header: "Maintenance", label: "maintenance window" },
  { key: "notes", header: "Notes", label: "notes" },
];

function ScheduleInput({
  column: c,
  row,
  label,
  disabled,
  onEdit,
}: {
  column: Column;
  row: Row;
  label: string;
  disabled: boolean;
  onEdit: (patch: Partial<Row>) => void;
}) {
  if (c.flag)
    return (
      <input
        type="checkbox"
        aria-label={label}
        disabled={disabled}
        checked={row[c.key]}
        onChange={(e) => onEdit({ [c.key]: e.target.checked })}
      />
    );
  return (
    <Input
      {...c.input}
      aria-label={label}
      disabled={disabled}
      value={row[c.key]}
      onValue={(v) => onEdit({ [c.key]: v })}
    />
  );
}

/** The site's week (Monday = 0): opening hours, peak hours, expected volume and maintenance windows. */
export function ScheduleEditor({ siteId }: { siteId: string }) {
  const canEdit = useCan("operator");
  const path = `/sites/${encodeURIComponent(siteId)}/schedules`;
  const schedules = useEndpoint("GET /sites/{site_id}/schedules", { params: { site_id: siteId } });
  const [rows, setRows] = useState<Row[]>([]);
  const [dirty, setDirty] = useState<Set<number>>(new Set());
  const [saved, setSaved] = useState(false);
  // The table reloads only after a save that worked: a failed one keeps the edits.
  const saving = useAction();

  useEffect(() => {
    if (schedules.data) {
      setRows(toRows(schedules.data.schedules));
      setDirty(new Set());
    }
  }, [schedules.data]);

  const edit = (day: number, patch: Partial<Row>) => {
    setSaved(false);
    setRows((rs) => rs.map((r) => (r.day_of_week === day ? { ...r, ...patch } : r)));
    setDirty((d) => new Set(d).add(day));
  };

  const save = async () => {
    // The whole week in one request (one transaction): the days that exist plus the ones edited.
    const week = rows.filter((r) => r.exists || dirty.has(r.day_of_week)).map(body);
    if (await saving.run(() => put(path, { schedules: week }))) {
      setSaved(true);
      schedules.reload();
    }
  };

  return (
    <Card
      title="Weekly operating schedule"
      id="site-schedule"
      actions={
        canEdit && (
          <Button id="schedule-save" variant="primary" disabled={saving.pending || dirty.size === 0} onClick={save}>
            {saving.pending ? "Saving…" : `Save${dirty.size ? ` (${dirty.size})` : ""}`}
          </Button>
        )
      }
    >
      <ErrorMessage error={saving.error} what="Saving the schedule" />
      {saved && <div className="alert alert-ok">Schedule saved.</div>}
      <Loadable state={schedules} what="Operating schedules">
        {() => (
          <table className="table schedule-table" id="schedule-table">
            <thead>
              <tr>
                <th>Day</th>
                {COLUMNS.map((c) => (
                  <th key={c.key} className={c.className}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const day = DAYS[r.day_of_week] ?? String(r.day_of_week);
                return (
                  <tr key={r.day_of_week} className={dirty.has(r.day_of_week) ? "dirty" : ""}>
                    <th scope="row">{day}</th>
                    {COLUMNS.map((c) => (
                      <td key={c.key} className={c.className}>
                        <ScheduleInput
                          column={c}
                          row={r}
                          label={`${day} ${c.label}`}
                          disabled={!canEdit || (c.whileOpen === true && r.is_closed)}
                          onEdit={(patch) => edit(r.day_of_week, patch)}
                        />
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Loadable>
    </Card>
  );
}
