import type { JobProgress } from "./types.ts";

export function ProgressBar({ p }: { p: JobProgress }) {
  const total = Math.max(1, p.total);
  const w = (n: number) => `${(n / total) * 100}%`;
  return (
    <div>
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={p.total}
        aria-valuenow={p.succeeded + p.failed}
        aria-label="Job progress"
      >
        <span className="bar-ok" style={{ width: w(p.succeeded) }} />
        <span className="bar-bad" style={{ width: w(p.failed) }} />
        <span className="bar-info" style={{ width: w(p.sent) }} />
      </div>
      <small className="muted">
        {p.succeeded} succeeded · {p.failed} failed · {p.sent} in progress · {p.pending} waiting
        {p.skipped ? ` · ${p.skipped} skipped` : ""}
        {p.cancelled ? ` · ${p.cancelled} cancelled` : ""} of {p.total}
      </small>
    </div>
  );
}
