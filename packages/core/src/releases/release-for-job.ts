import type { ReleaseCommandPayload } from "@homepot/contracts/releases";
import type { Context } from "../context.ts";
import { ValidationError } from "../errors.ts";
import { downloadPath } from "./present.ts";
import { findRelease, type ReleaseRow } from "./release.repository.ts";

/** The job type that installs a release of this type. */
export const jobTypeForRelease = (type: string) => (type === "firmware" ? "firmware_update" : "software_update");

/**
 * The release a software_update / firmware_update job installs: it must exist, be active and be of the job's
 * type (422 naming `release_id` otherwise).
 */
export async function getReleaseForJob(ctx: Context, jobType: string, releaseId: string): Promise<ReleaseRow> {
  const release = await findRelease(ctx.db, releaseId);
  if (!release) throw new ValidationError(`release_id: release ${releaseId} not found`, "release_id");
  if (release.status !== "active")
    throw new ValidationError(`release_id: release ${releaseId} is ${release.status}`, "release_id");
  if (jobTypeForRelease(release.releaseType) !== jobType)
    throw new ValidationError(
      `release_id: ${releaseId} is a ${release.releaseType} release; a ${jobType} job cannot install it`,
      "release_id",
    );
  return release;
}

/**
 * What the device's UPDATE_SOFTWARE / UPDATE_FIRMWARE command carries: where to fetch the bytes and everything
 * needed to verify them before installing (hash, size, signature and the key that made it).
 */
export function releaseCommandPayload(r: ReleaseRow): ReleaseCommandPayload {
  return {
    release_id: r.releaseId,
    release_type: r.releaseType,
    name: r.name,
    version: r.version,
    sha256: r.sha256,
    size_bytes: r.sizeBytes,
    signature: r.signature,
    signing_key: r.signingKey,
    os_families: r.osFamilies,
    download_path: downloadPath(r.releaseId),
  };
}
