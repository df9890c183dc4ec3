import { createHash } from "node:crypto";
import { parseReleaseCommand, type ReleaseCommandPayload, releaseManifest } from "@homepot/contracts/releases";
import { verifyText } from "../releases/release-key.ts";

/** A command result (device-model's CommandResult, which imports this file). */
interface CommandResult {
  status: "succeeded" | "failed";
  result: Record<string, unknown> | null;
  error_message: string | null;
}

export type ReleaseToInstall = ReleaseCommandPayload;

/** Fetches bytes `start`…`end` (inclusive) of a release as the device (its key, a Range request). */
export type FetchReleaseRange = (
  deviceId: string,
  release: ReleaseToInstall,
  start: number,
  end: number,
) => Promise<Uint8Array>;

/** The release a command carries, or why it cannot be installed. */
export function parseReleasePayload(payload: Record<string, unknown> | null): ReleaseToInstall | string {
  return parseReleaseCommand(payload?.release);
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
