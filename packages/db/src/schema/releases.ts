import { bigint, index, integer, pgTable, serial, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import {
  devicePublicId,
  jobPublicId,
  releasePublicId,
  sha256Hex,
  status,
  textList,
  timestamps,
  utc,
  utcNow,
} from "./columns.ts";
import { createdByUser } from "./references.ts";

/**
 * A software or firmware artifact in the release repository. The bytes live on disk, content-addressed by
 * `sha256` (several releases may share one blob); the signature covers the release's manifest (type, name,
 * version, sha256), so a device can check both the bytes and what they claim to be.
 */
export const releases = pgTable(
  "releases",
  {
    id: serial("id").primaryKey(),
    releaseId: releasePublicId().notNull(),
    name: varchar("name", { length: 100 }).notNull(),
    version: varchar("version", { length: 50 }).notNull(),
    releaseType: varchar("release_type", { length: 20 }).$type<"software" | "firmware">().notNull(),
    sha256: sha256Hex("sha256").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    filename: varchar("filename", { length: 255 }),
    /** Ed25519 signature (base64) of the manifest, and the SPKI PEM of the key that made it. */
    signature: text("signature").notNull(),
    signingKey: text("signing_key").notNull(),
    /** `server` (the server's release key) or `offline` (a trusted key the uploader holds). */
    signedBy: varchar("signed_by", { length: 20 }).$type<"server" | "offline">().notNull(),
    /** Compatibility: empty arrays mean any; `min_current_version` is the lowest installed version it upgrades. */
    deviceTypes: textList("device_types"),
    osFamilies: textList("os_families"),
    minCurrentVersion: varchar("min_current_version", { length: 50 }),
    notes: text("notes"),
    status: status("active").$type<"active" | "deprecated">(),
    createdBy: createdByUser(),
    ...timestamps(),
    deprecatedAt: utc("deprecated_at"),
  },
  (t) => [
    uniqueIndex("releases_release_id_uq").on(t.releaseId),
    uniqueIndex("releases_type_name_version_uq").on(t.releaseType, t.name, t.version),
    index("releases_sha256_idx").on(t.sha256),
    index("releases_created_idx").on(t.createdAt),
  ],
);

/** A resumable upload in progress: the bytes so far are in `<data dir>/releases/uploads/<upload_id>.part`. */
export const releaseUploads = pgTable(
  "release_uploads",
  {
    id: serial("id").primaryKey(),
    uploadId: varchar("upload_id", { length: 64 }).notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    receivedBytes: bigint("received_bytes", { mode: "number" }).notNull().default(0),
    /** The release to create on completion (name, version, type, compatibility, notes, expected sha256, signature). */
    metadata: text("metadata").notNull(),
    status: status("open").$type<"open" | "completed" | "aborted">(),
    releaseId: releasePublicId(),
    createdBy: createdByUser(),
    ...timestamps(),
    expiresAt: utc("expires_at").notNull(),
  },
  (t) => [uniqueIndex("release_uploads_upload_id_uq").on(t.uploadId), index("release_uploads_status_idx").on(t.status)],
);

/** What a device fetched of a release (bytes served over every range request), for the job page's progress. */
export const releaseDownloads = pgTable(
  "release_downloads",
  {
    id: serial("id").primaryKey(),
    releaseId: releasePublicId().notNull(),
    deviceId: devicePublicId().notNull(),
    jobId: jobPublicId(),
    bytesServed: bigint("bytes_served", { mode: "number" }).notNull().default(0),
    /** Highest byte offset served + 1: how far the device got (ranges resume, so bytes may exceed size). */
    highWater: bigint("high_water", { mode: "number" }).notNull().default(0),
    requests: integer("requests").notNull().default(0),
    startedAt: utcNow("started_at"),
    updatedAt: utcNow("updated_at"),
  },
  (t) => [
    uniqueIndex("release_downloads_release_device_uq").on(t.releaseId, t.deviceId),
    index("release_downloads_job_idx").on(t.jobId),
  ],
);
