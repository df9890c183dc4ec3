import { createHash } from "node:crypto";
import { releaseManifest } from "@homepot/contracts/releases";
import { verifyText } from "../releases/release-key.ts";

/** A command result (device-model's CommandResult, which imports this file). */
interface CommandResult {
  status: "succeeded" | "failed";
  result: Record<string, unknown> | null;
  error_message: string | null;
}

/** What an UPDATE_SOFTWARE / UPDATE_FIRMWARE command carries in `payload.release` (as the agent reads it). */
export interface ReleaseToInstall {
  release_id: string;
  release_type: "software" | "firmware";
  name: string;
  version: string;
  sha256: string;
  size_bytes: number;
  signature: string;
  signing_key: string;
  download_path: string;
}

/** Fetches bytes `start`…`end` (inclusive) of a release as the device (its key, a Range request). */
export type FetchReleaseRange = (
  deviceId: string,
  release: ReleaseToInstall,
  start: number,
  end: number,
) => Promise<Uint8Array>;

/** The release a command carries, or why it cannot be installed. */
export function parseReleasePayload(payload: Record<string, unknown> | null): ReleaseToInstall | string {
  const r = payload?.release;
  if (!r || typeof r !== "object") return "payload.release missing";
  const v = r as Record<string, unknown>;
  for (const k of ["release_id", "name", "version", "sha256", "signature", "signing_key", "download_path"])
    if (typeof v[k] !== "string" || !v[k]) return `payload.release.${k} missing`;
  if (typeof v.size_bytes !== "number") return "payload.release.size_bytes missing";
  if (v.release_type !== "software" && v.release_type !== "firmware")
    return "payload.release.release_type must be software or firmware";
  return v as unknown as ReleaseToInstall;
}

export interface InstallOptions {
  /** Bytes per Range request (the download resumes from where the last one ended). */
  rangeBytes: number;
  /** The version installed now, kept as the previous one. */
  previous: string | null;
  /** A simulated install failure (the install hook failing), decided when the command was planned. */
  failure?: string | undefined;
}

/**
 * Installs a release as the real agent does: download it in Range requests, check the SHA-256 and the Ed25519
 * signature of its manifest, then "run the install hook" (fail with `failure`, or succeed); the result has the
 * agent's shape (`outcome`, `installed_version`, `verified`).
 */
export async function installRelease(
  fetchRange: FetchReleaseRange,
  deviceId: string,
  r: ReleaseToInstall,
  options: InstallOptions,
): Promise<CommandResult> {
  const base = { release_id: r.release_id, name: r.name, version: r.version, simulated: true };
  const hash = createHash("sha256");
  let offset = 0;
  let requests = 0;
  try {
    while (offset < r.size_bytes) {
      const end = Math.min(r.size_bytes, offset + options.rangeBytes) - 1;
      const bytes = await fetchRange(deviceId, r, offset, end);
      if (bytes.length === 0) throw new Error(`the server sent no bytes at offset ${offset}`);
      hash.update(bytes);
      offset += bytes.length;
      requests += 1;
    }
  } catch (error) {
    const why = (error as Error).message;
    return {
      status: "failed",
      result: { ...base, outcome: "failed", error: why, downloaded_bytes: offset },
      error_message: `release ${r.version} not installed: ${why}`,
    };
  }
  const digest = hash.digest("hex");
  const refuse = (why: string): CommandResult => ({
    status: "failed",
    result: { ...base, outcome: "refused", verified: false, error: why },
    error_message: `release refused: ${why}`,
  });
  if (digest !== r.sha256)
    return refuse(`hash mismatch: the download hashes to ${digest}, the release says ${r.sha256}`);
  if (!verifyText(r.signing_key, releaseManifest(r), r.signature))
    return refuse("signature does not verify for this release's name, version, type and hash");
  const download = { verified: true, downloaded_bytes: offset, range_requests: requests };
  if (options.failure)
    return {
      status: "failed",
      result: { ...base, ...download, outcome: "failed", error: options.failure },
      error_message: `release ${r.version} not installed: ${options.failure}`,
    };
  return {
    status: "succeeded",
    result: {
      ...base,
      ...download,
      outcome: "installed",
      installed_version: r.version,
      previous_version: options.previous,
    },
    error_message: null,
  };
}
