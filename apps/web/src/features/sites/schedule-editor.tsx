import { useEffect, useState } from "react";
import { Button, Card, ErrorMessage, Input, Loadable } from "../../components/ui/index.tsx";
import { ApiError, put } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { DAYS } from "../../lib/format.ts";
import type { Schedule } from "../../lib/types.ts";
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

/** The site's week (Monday = 0): opening hours, peak hours, expected volume and maintenance windows. */
export function ScheduleEditor({ siteId }: { siteId: string }) {
  const canEdit = useCan("operator");
  const path = `/sites/${encodeURIComponent(siteId)}/schedules`;
  const schedules = useEndpoint("GET /sites/{site_id}/schedules", { params: { site_id: siteId } });
  const [rows, setRows] = useState<Row[]>([]);
  const [dirty, setDirty] = useState<Set<number>>(new Set());
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

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
    setBusy(true);
    setError(undefined);
    try {
      // The whole week in one request (one transaction): the days that exist plus the ones edited.
      await put(path, { schedules: rows.filter((r) => r.exists || dirty.has(r.day_of_week)).map(body) });
      setSaved(true);
      schedules.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title="Weekly operating schedule"
      id="site-schedule"
      actions={
        canEdit && (
          <Button id="schedule-save" variant="primary" disabled={busy || dirty.size === 0} onClick={save}>
            {busy ? "Saving…" : `Save${dirty.size ? ` (${dirty.size})` : ""}`}
          </Button>
        )
      }
    >
      <ErrorMessage error={error} what="Saving the schedule" />
      {saved && <div className="alert alert-ok">Schedule saved.</div>}
      <Loadable state={schedules} what="Operating schedules">
        {() => (
          <table className="table schedule-table" id="schedule-table">
            <thead>
              <tr>
                <th>Day</th>
                <th>Closed</th>
                <th>Opens</th>
                <th>Closes</th>
                <th>Peak from</th>
                <th>Peak to</th>
                <th className="num">Expected tx</th>
                <th>Maintenance</th>
                <th>Notes</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const day = DAYS[r.day_of_week] ?? String(r.day_of_week);
                const dis = !canEdit;
                return (
                  <tr key={r.day_of_week} className={dirty.has(r.day_of_week) ? "dirty" : ""}>
                    <th scope="row">{day}</th>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`${day} closed`}
                        disabled={dis}
                        checked={r.is_closed}
                        onChange={(e) => edit(r.day_of_week, { is_closed: e.target.checked })}
                      />
                    </td>
                    <td>
                      <Input
                        type="time"
                        aria-label={`${day} opens`}
                        disabled={dis || r.is_closed}
                        value={r.open_time}
                        onValue={(v) => edit(r.day_of_week, { open_time: v })}
                      />
                    </td>
                    <td>
                      <Input
                        type="time"
                        aria-label={`${day} closes`}
                        disabled={dis || r.is_closed}
                        value={r.close_time}
                        onValue={(v) => edit(r.day_of_week, { close_time: v })}
                      />
                    </td>
                    <td>
                      <Input
                        type="time"
                        aria-label={`${day} peak from`}
                        disabled={dis}
                        value={r.peak_hours_start}
                        onValue={(v) => edit(r.day_of_week, { peak_hours_start: v })}
                      />
                    </td>
                    <td>
                      <Input
                        type="time"
                        aria-label={`${day} peak to`}
                        disabled={dis}
                        value={r.peak_hours_end}
                        onValue={(v) => edit(r.day_of_week, { peak_hours_end: v })}
                      />
                    </td>
                    <td className="num">
                      <Input
                        type="number"
                        min={0}
                        style={{ width: 90 }}
                        aria-label={`${day} expected transactions`}
                        disabled={dis}
                        value={r.expected_transaction_volume}
                        onValue={(v) => edit(r.day_of_week, { expected_transaction_volume: v })}
                      />
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`${day} maintenance window`}
                        disabled={dis}
                        checked={r.is_maintenance_window}
                        onChange={(e) => edit(r.day_of_week, { is_maintenance_window: e.target.checked })}
                      />
                    </td>
                    <td>
                      <Input
                        aria-label={`${day} notes`}
                        disabled={dis}
                        value={r.notes}
                        onValue={(v) => edit(r.day_of_week, { notes: v })}
                      />
                    </td>
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
