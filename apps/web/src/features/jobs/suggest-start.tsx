import type { ScheduleJobResponse } from "@homepot/contracts/insights";
import { useState } from "react";
import type { z } from "zod";
import { Button, ErrorMessage } from "../../components/ui/index.tsx";
import { post } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { pct } from "../insights/types.ts";

type Suggestion = z.infer<typeof ScheduleJobResponse>["data"];

/** "datetime-local" value (local time, minutes) of an ISO instant. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Asks the insights engine for the best start at a site (quiet hours, maintenance windows, past job outcomes). */
export function SuggestStart({
  siteId,
  jobType,
  onPick,
}: {
  siteId: string;
  jobType: string;
  onPick: (isoStart: string) => void;
}) {
  const [s, setS] = useState<Suggestion>();
  const asking = useAction();
  return (
    <div className="form">
      <div className="row">
        <Button
          id="job-suggest-start"
          disabled={!siteId || asking.pending}
          title={siteId ? undefined : "Choose a site first"}
          onClick={() =>
            asking.run(async () => {
              const res = await post<z.infer<typeof ScheduleJobResponse>>("/ai/recommendations/schedule-job", {
                site_id: siteId,
                duration_minutes: 60,
                job_type: jobType,
              });
              setS(res.data);
            })
          }
        >
          {asking.pending ? "Asking…" : "Suggest the best start"}
        </Button>
        {s && (
          <Button id="job-use-suggestion" variant="primary" onClick={() => onPick(s.recommended_start)}>
            Use {formatDateTime(s.recommended_start)}
          </Button>
        )}
      </div>
      <ErrorMessage error={asking.error} what="The start-time recommendation" />
      {s && (
        <div className="alert alert-ok" id="job-suggestion">
          Best 60-minute window: <strong>{s.local_start}</strong> (score {s.score.toFixed(2)}, confidence{" "}
          {pct(s.confidence)})
          <ul>
            {s.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
