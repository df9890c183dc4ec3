import type { Release } from "@homepot/contracts/releases";
import type { ReleaseRow, UploadRow } from "./release.repository.ts";
import type { ReleaseStore } from "./release-store.ts";

export const downloadPath = (releaseId: string) => `/api/v1/releases/${releaseId}/download`;

export function presentRelease(r: ReleaseRow): Release {
  return {
    release_id: r.releaseId,
    name: r.name,
    version: r.version,
    release_type: r.releaseType,
    sha256: r.sha256,
    size_bytes: r.sizeBytes,
    filename: r.filename,
    signature: r.signature,
    signing_key: r.signingKey,
    signed_by: r.signedBy,
    compatibility: {
      device_types: r.deviceTypes,
      os_families: r.osFamilies,
      min_current_version: r.minCurrentVersion,
    },
    notes: r.notes,
    status: r.status,
    download_path: downloadPath(r.releaseId),
    created_by: r.createdBy,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    deprecated_at: r.deprecatedAt?.toISOString() ?? null,
  };
}

/** The keys a device verifies releases with: the server's release key and the trusted offline keys. */
export function presentReleaseKey(store: ReleaseStore) {
  const { key, trustedKeys } = store.options;
  return {
    algorithm: "ed25519" as const,
    public_key: key.publicKeyPem,
    key_id: key.keyId,
    trusted_keys: trustedKeys,
  };
}

export function presentUpload(u: UploadRow, offset = u.receivedBytes) {
  return {
    upload_id: u.uploadId,
    status: u.status,
    size_bytes: u.sizeBytes,
    offset,
    release_id: u.releaseId,
    expires_at: u.expiresAt.toISOString(),
  };
}
