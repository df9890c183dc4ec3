import { z } from "zod";
import { dataResult, listResult, numberCount, Pagination, Slug, Timestamp, writeResult } from "./common.ts";

export const ReleaseTypes = ["software", "firmware"] as const;
export const ReleaseType = z.enum(ReleaseTypes);
export type ReleaseTypeValue = z.infer<typeof ReleaseType>;

const Label = Slug(50);
const Version = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/, "letters, digits, _ . + - only, e.g. 4.2.0");
const Sha256 = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, "must be 64 hex characters (SHA-256)");
export const ReleaseId = z
  .string()
  .min(1)
  .max(40)
  .regex(/^rel-[0-9a-f]{8,32}$/, "must look like rel-1a2b3c4d");
export const UploadId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "must be an upload id");

const Given = z.string().min(1);

/** What an UPDATE_SOFTWARE / UPDATE_FIRMWARE command carries in `payload.release`: where to fetch it and how to verify it. */
export const ReleaseCommandPayload = z.object({
  release_id: Given,
  release_type: ReleaseType,
  name: Given,
  version: Given,
  sha256: Given,
  size_bytes: z.number(),
  signature: Given,
  signing_key: Given,
  os_families: z.array(z.string()).default([]),
  download_path: Given,
});
export type ReleaseCommandPayload = z.infer<typeof ReleaseCommandPayload>;

/** The release a command's `payload.release` carries, or why it cannot be installed (naming the field). */
export function parseReleaseCommand(release: unknown): ReleaseCommandPayload | string {
  if (!release || typeof release !== "object") return "payload.release missing";
  const parsed = ReleaseCommandPayload.safeParse(release);
  if (parsed.success) return parsed.data;
  const field = parsed.error.issues[0]?.path.join(".") ?? "";
  return field === "release_type"
    ? "payload.release.release_type must be software or firmware"
    : `payload.release.${field} missing`;
}

/**
 * The text a release signature covers: its type, name, version and SHA-256, one per line. Server, CLI
 * (`homepot release sign`) and agent build it with this one function, so a signature also vouches for what
 * the bytes claim to be.
 */
export function releaseManifest(r: { release_type: string; name: string; version: string; sha256: string }): string {
  return `homepot-release-v1\n${r.release_type}\n${r.name}\n${r.version}\n${r.sha256.toLowerCase()}\n`;
}

export const ReleaseCompatibility = z
  .object({
    device_types: z.array(Label).max(50).default([]).describe("Device types it runs on; empty = any"),
    os_families: z.array(Label).max(20).default([]).describe("OS families (linux, windows, android…); empty = any"),
    min_current_version: Version.optional().describe("Devices below this installed version are not upgraded"),
  })
  .strict();

/** Starts a resumable upload: the release's metadata, its size, and optionally the SHA-256 and an offline signature. */
export const CreateUploadBody = z
  .object({
    name: Label.describe("What is released, e.g. pos-app"),
    version: Version,
    release_type: ReleaseType,
    size_bytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    sha256: Sha256.optional().describe("Checked at completion when given"),
    filename: z.string().trim().min(1).max(255).optional(),
    notes: z.string().max(10_000).optional(),
    compatibility: ReleaseCompatibility.default({ device_types: [], os_families: [] }),
    signature: z
      .string()
      .regex(/^[A-Za-z0-9+/]{86}==$/, "must be a base64 Ed25519 signature")
      .optional()
      .describe("Offline signature (homepot release sign) of the manifest; the server signs when absent"),
    public_key: z
      .string()
      .max(1000)
      .optional()
      .describe("PEM public key of the offline signature; must be one of the server's trusted release keys"),
  })
  .strict();
export type CreateUploadBody = z.infer<typeof CreateUploadBody>;

export const UploadParams = z.object({ upload_id: UploadId });
export const ReleaseParams = z.object({ release_id: ReleaseId });

/** An upload's state: open while chunks arrive, completed once its release exists, aborted when the finished bytes failed their checks. */
export const UploadStatus = z.enum(["open", "completed", "aborted"]);
/** deprecated: no new job may deliver the release (running jobs finish). */
export const ReleaseStatus = z.enum(["active", "deprecated"]);

export const UploadView = z.object({
  upload_id: z.string(),
  status: UploadStatus,
  size_bytes: z.number(),
  offset: z.number().describe("Bytes received so far: send the next chunk with Upload-Offset = this"),
  release_id: z.string().nullable(),
  expires_at: Timestamp,
});
export const UploadResponse = writeResult(UploadView);
export const UploadGetResponse = dataResult(UploadView);

export const ReleaseView = z.object({
  release_id: z.string(),
  name: z.string(),
  version: z.string(),
  release_type: ReleaseType,
  sha256: z.string(),
  size_bytes: z.number(),
  filename: z.string().nullable(),
  signature: z.string(),
  signing_key: z.string().describe("PEM public key that verifies `signature`"),
  signed_by: z
    .enum(["server", "offline"])
    .describe(
      "server: signed by this server's release key; offline: signed elsewhere, the upload carried its signature",
    ),
  compatibility: z.object({
    device_types: z.array(z.string()),
    os_families: z.array(z.string()),
    min_current_version: z.string().nullable(),
  }),
  notes: z.string().nullable(),
  status: ReleaseStatus,
  download_path: z.string().describe("Where devices fetch it (device key, Range requests)"),
  created_by: z.number().nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
  deprecated_at: Timestamp.nullable(),
});
export type Release = z.infer<typeof ReleaseView>;

export const ReleaseDetailView = ReleaseView.extend({
  jobs: z.number().describe("Jobs that deliver it"),
  installed_on: z.number().describe("Active devices reporting this version of this type"),
  running_devices: z
    .array(z.object({ device_id: z.string(), name: z.string(), site_id: z.string(), status: z.string() }))
    .describe("The first 100 of those devices, by id"),
  delivering_jobs: z
    .array(z.object({ job_id: z.string(), action: z.string(), status: z.string(), created_at: Timestamp }))
    .describe("The newest 100 jobs that deliver it"),
});
export type ReleaseDetail = z.infer<typeof ReleaseDetailView>;

export const ReleaseWriteResponse = writeResult(ReleaseView);
export const ReleaseGetResponse = dataResult(ReleaseDetailView);

export const ListReleasesQuery = Pagination.extend({
  release_type: ReleaseType.optional(),
  name: z.string().max(100).optional(),
  status: ReleaseStatus.optional(),
  device_type: z.string().max(50).optional(),
});
export const ReleaseListResponse = listResult("releases", ReleaseView, { ...numberCount, total: z.number() });

export const ReleaseKeyView = z.object({
  algorithm: z.literal("ed25519"),
  public_key: z.string().describe("The server's release key (SPKI PEM)"),
  key_id: z.string().describe("First 16 hex of the SHA-256 of the key's DER"),
  trusted_keys: z.array(z.string()).describe("Offline keys (PEM) whose signatures the server also accepts"),
});
export const ReleaseKeyResponse = dataResult(ReleaseKeyView);
/** In enrolment and registration answers (an extra field): the keys a device pins to verify releases. */
export const EnrolmentReleaseKey = ReleaseKeyView.describe(
  "The release keys to pin at enrolment (same as GET /releases/public-key)",
);

export const VersionDistributionQuery = z.object({
  release_type: ReleaseType.default("software"),
  site_id: z.string().trim().min(1).max(50).optional().describe("One site only; omitted = the whole fleet"),
});
const VersionCount = z.object({
  name: z.string().nullable().describe("Release name of that version (one the device's type may run); null = none"),
  version: z.string().nullable().describe("null = the device reports no version"),
  devices: z.number().int(),
});
export const VersionDistributionResponse = dataResult(
  z.object({
    release_type: ReleaseType,
    site_id: z.string().nullable(),
    total_devices: z.number().int().describe("Active devices counted (a device may count under several names)"),
    fleet: z.array(VersionCount).describe("Newest version first"),
    sites: z.array(z.object({ site_id: z.string(), versions: z.array(VersionCount) })),
  }),
);
export type VersionDistribution = z.infer<typeof VersionDistributionResponse>["data"];

/** Where one device of a release job stands (the job page's per-device column). */
export const RELEASE_DEVICE_STATES = [
  "queued",
  "downloading",
  "installing",
  "installed",
  "downloaded",
  "rolled_back",
  "failed",
  "skipped",
  "cancelled",
] as const;
export type ReleaseDeviceState = (typeof RELEASE_DEVICE_STATES)[number];
