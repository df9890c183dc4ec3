import type { JobDeviceView } from "./types.ts";

type Release = NonNullable<JobDeviceView["release"]>;

const TONE: Record<Release["state"], string> = {
  queued: "info",
  downloading: "info",
  installing: "info",
  installed: "ok",
  downloaded: "ok",
  rolled_back: "warn",
  failed: "bad",
  skipped: "muted",
  cancelled: "muted",
};

const LABEL: Record<Release["state"], (r: Release) => string> = {
  queued: () => "queued",
  downloading: (r) => `downloading ${r.percent} %`,
  installing: () => "verifying / installing",
  installed: (r) => `installed ${r.installed_version ?? ""}`.trim(),
  downloaded: () => "downloaded (no install hook)",
  rolled_back: (r) => `rolled back${r.installed_version ? ` to ${r.installed_version}` : ""}`,
  failed: () => "failed",
  skipped: () => "skipped",
  cancelled: () => "cancelled",
};

/** One device's release download and install: a state badge, the download bar while it runs, and why it ended so. */
export function ReleaseCell({ release: r, deviceId }: { release: Release; deviceId: string }) {
  return (
    <div className="release-state" data-state={r.state} id={`release-state-${deviceId}`}>
      <span className={`badge badge-${TONE[r.state]}`}>{LABEL[r.state](r)}</span>
      {(r.state === "downloading" || r.state === "installing") && (
        <div
          className="progress"
          role="progressbar"
          aria-label={`Download of ${deviceId}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={r.percent}
          style={{ marginTop: 4 }}
        >
          <span className="bar-info" style={{ width: `${r.percent}%` }} />
        </div>
      )}
      {r.reason && <div className="muted">{r.reason}</div>}
    </div>
  );
}
