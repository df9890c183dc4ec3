import type { JobType } from "./job.repository.ts";

/**
 * Splits the target devices into rollout batches. Each entry is a device count (`5`) or a share of
 * all targets (`"25%"`, rounded up, at least 1); when the entries run out, the last size repeats until
 * every device is covered. Without a rollout every device is in one batch.
 */
export function planBatches<T>(items: readonly T[], batches: readonly (number | string)[] | undefined): T[][] {
  if (items.length === 0) return [];
  if (!batches || batches.length === 0) return [items.slice()];
  const sizes = batches.map((b) => batchSize(b, items.length));
  const out: T[][] = [];
  let i = 0;
  let k = 0;
  while (i < items.length) {
    const size = sizes[Math.min(k, sizes.length - 1)] ?? items.length;
    out.push(items.slice(i, i + size));
    i += size;
    k += 1;
  }
  return out;
}

export function batchSize(entry: number | string, total: number): number {
  if (typeof entry === "number") return Math.max(1, Math.floor(entry));
  const pct = Number.parseFloat(entry.replace("%", ""));
  if (!Number.isFinite(pct) || pct <= 0) return 1;
  return Math.max(1, Math.ceil((pct / 100) * total));
}

/** The job type an action names, for the original API that only sends an action. */
export function inferJobType(action: string): JobType {
  const a = action.toLowerCase();
  if (/firmware/.test(a)) return "firmware_update";
  if (/\bsoftware\b/.test(a)) return "software_update";
  if (/\b(restart|reboot)\b/.test(a)) return "restart";
  if (/health/.test(a)) return "health_check";
  return "config_update";
}

/** The device command a job sends for its type. */
export function commandTypeFor(jobType: string): string {
  switch (jobType) {
    case "restart":
      return "RESTART";
    case "firmware_update":
      return "UPDATE_FIRMWARE";
    case "software_update":
      return "UPDATE_SOFTWARE";
    case "health_check":
      return "RUN_HEALTH_CHECK";
    default:
      return "UPDATE_CONFIG";
  }
}
