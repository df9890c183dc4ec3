import type { ReleaseDeviceState } from "@homepot/contracts/releases";

export type { ReleaseDeviceState };

export interface ReleaseDeviceFacts {
  /** job_devices.status: pending | sent | succeeded | failed | skipped | cancelled */
  status: string;
  errorMessage: string | null;
  downloadedBytes: number;
  sizeBytes: number;
  /** The agent's `outcome`: installed | downloaded | rolled_back | refused | failed; null while running. */
  installResult: string | null;
}

/**
 * queued (not started, or the command not yet picked up), downloading (some bytes served), installing (every byte
 * served, the device verifying the hash and signature and running its install hook), then what it ended as:
 * installed, downloaded (no install hook), rolled_back, failed or skipped (with the reason), cancelled.
 */
export function releaseDeviceState(f: ReleaseDeviceFacts): { state: ReleaseDeviceState; reason: string | null } {
  switch (f.status) {
    case "skipped":
      return { state: "skipped", reason: f.errorMessage };
    case "cancelled":
      return { state: "cancelled", reason: f.errorMessage };
    case "failed":
      return { state: f.installResult === "rolled_back" ? "rolled_back" : "failed", reason: f.errorMessage };
    case "succeeded":
      return { state: f.installResult === "downloaded" ? "downloaded" : "installed", reason: null };
    case "sent":
      if (f.downloadedBytes <= 0) return { state: "queued", reason: null };
      return { state: f.downloadedBytes < f.sizeBytes ? "downloading" : "installing", reason: null };
    default:
      return { state: "queued", reason: null };
  }
}
