import { createReadStream, statSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { ApiClient, type ApiResponse, detailOf, serverCredentials, serverOptions } from "../lib/api-client.ts";
import { csvList, parseSubcommand, stringFlags } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { print, printAs, printJson, printList } from "../lib/output.ts";
import { ProgressBar } from "../lib/progress.ts";
import { generateSigningKey, readSignatureFile, sha256OfFile, signRelease } from "../lib/release-files.ts";

export const summary = "software/firmware releases: push (upload), list, show, deprecate, delete, sign, keygen";

const HELP = `Usage: homepot release <subcommand> [options]

  push FILE --name NAME --version V --type software|firmware [--compatible TYPE,TYPE] [--os linux,windows]
       [--min-version V] [--notes TEXT] [--signature FILE.sig] [--chunk-mb 8] [--resume UPLOAD_ID]
                          uploads FILE in chunks (streamed, with a progress line; a broken chunk resumes at
                          the offset the server has; --resume continues an earlier upload), then creates the
                          release. --compatible lists device types, --os OS families (empty: any).
                          Unsigned pushes are signed with the server's key; --signature sends an offline one.
  list [--type software|firmware] [--name NAME] [--status active|deprecated] [--limit N]
  show RELEASE_ID          metadata, compatibility, signature, and how many jobs and devices use it
  deprecate RELEASE_ID     no new job may deliver it (operator)
  delete RELEASE_ID        only when no job delivers it and no device runs it (admin)
  sign FILE --key KEYFILE --name NAME --version V --type software|firmware [--out FILE.sig]
                          signs offline with an Ed25519 private key (no server needed); the server accepts the
                          signature when the key's public half is in its HOMEPOT_RELEASE_TRUSTED_KEYS file
  keygen --out KEYFILE     writes a new Ed25519 private key (0600) and prints its public key

Server commands take --server URL (default $HOMEPOT_SERVER or http://127.0.0.1:8000) and sign in with
$HOMEPOT_TOKEN, or --email/--password (or HOMEPOT_ADMIN_EMAIL/HOMEPOT_ADMIN_PASSWORD). Every subcommand
takes --json.`;

export const subcommands = ["push", "list", "show", "deprecate", "delete", "sign", "keygen"];
const TYPES = ["software", "firmware"];

const options = {
  ...serverOptions,
  ...stringFlags(
    "name",
    "version",
    "type",
    "compatible",
    "os",
    "min-version",
    "notes",
    "signature",
    "chunk-mb",
    "resume",
    "status",
    "limit",
    "key",
    "out",
  ),
} as const;

type Values = Exclude<ReturnType<typeof parseSubcommand<typeof options>>, number>["values"];

export async function run(argv: string[]): Promise<number> {
  const parsed = parseSubcommand(argv, subcommands, HELP, options);
  if (typeof parsed === "number") return parsed;
  const { sub, values, positionals } = parsed;
  const arg = positionals[0];
  if (sub !== "list" && sub !== "keygen" && !arg)
    throw new CliError(`${sub}: ${sub === "push" || sub === "sign" ? "a FILE" : "a RELEASE_ID"} is required`, 2);
  switch (sub) {
    case "sign":
      return sign(arg as string, values);
    case "keygen":
      return keygen(values);
    case "push":
      return push(await connect(values), arg as string, values);
    case "list":
      return list(await connect(values), values);
    default:
      return change(await connect(values), sub, arg as string, values);
  }
}

async function connect(values: Values): Promise<ApiClient> {
  const client = new ApiClient(values.server, undefined, "homepot-release");
  const credentials = serverCredentials(values);
  if (!credentials)
    throw new CliError(
      "sign in with $HOMEPOT_TOKEN, or --email and --password (or HOMEPOT_ADMIN_EMAIL and HOMEPOT_ADMIN_PASSWORD)",
      2,
    );
  await client.signIn(credentials);
  return client;
}

/** The answer's body when 2xx; otherwise a CLI error naming what failed and the server's reason. */
function ok<T>(client: ApiClient, res: ApiResponse<T>, what: string): T {
  if (res.status === 0) throw new CliError(`cannot reach ${client.base}: ${detailOf(res.body)}`);
  if (res.status < 200 || res.status >= 300)
    throw new CliError(`${what} failed (${res.status}): ${detailOf(res.body)}`);
  return res.body;
}

function identityFlags(values: Values) {
  if (!values.name) throw new CliError("--name is required", 2);
  if (!values.version) throw new CliError("--version is required", 2);
  if (!values.type || !TYPES.includes(values.type)) throw new CliError("--type must be software or firmware", 2);
  return { name: values.name, version: values.version, release_type: values.type };
}

function fileSize(file: string): number {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new CliError(`${file}: ${(error as Error).message}`, 2);
  }
  if (size === 0) throw new CliError(`${file} is empty`, 2);
  return size;
}

interface UploadData {
  upload_id: string;
  size_bytes: number;
  offset: number;
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 2 : 1);

async function push(client: ApiClient, file: string, values: Values): Promise<number> {
  const size = fileSize(file);
  const identity = { ...identityFlags(values), sha256: await sha256OfFile(file) };
  const chunkBytes = Math.round(Number(values["chunk-mb"] ?? 8) * 1024 * 1024);
  if (!(chunkBytes >= 1024)) throw new CliError("--chunk-mb must be at least 0.001", 2);
  const base = "/api/v1/releases/uploads";

  let upload: UploadData;
  if (values.resume) {
    const res = await client.request<{ data: UploadData }>("GET", `${base}/${encodeURIComponent(values.resume)}`);
    upload = ok(client, res, `resuming upload ${values.resume}`).data;
    if (upload.size_bytes !== size) throw new CliError(`upload ${values.resume} is for ${upload.size_bytes} bytes`, 2);
  } else {
    const signature = values.signature ? readSignatureFile(values.signature, identity) : undefined;
    const res = await client.request<{ data: UploadData }>("POST", base, {
      body: {
        ...identity,
        size_bytes: size,
        filename: basename(file),
        ...(values.notes ? { notes: values.notes } : {}),
        compatibility: {
          device_types: csvList(values.compatible) ?? [],
          os_families: csvList(values.os) ?? [],
          ...(values["min-version"] ? { min_current_version: values["min-version"] } : {}),
        },
        ...(signature ? { signature: signature.signature, public_key: signature.public_key } : {}),
      },
    });
    upload = ok(client, res, "starting the upload").data;
  }

  const bar = new ProgressBar(`upload ${basename(file)}`, !values.json);
  const started = performance.now();
  let offset = upload.offset;
  let failures = 0;
  while (offset < size) {
    const end = Math.min(size, offset + chunkBytes);
    const chunk = createReadStream(file, { start: offset, end: end - 1 });
    const res = await sendChunk(client, `${base}/${upload.upload_id}`, offset, chunk);
    if (res.status === 200 && res.body.data && res.body.data.offset > offset) {
      offset = res.body.data.offset;
      failures = 0;
    } else if (res.status === 200) {
      throw new CliError(`upload ${upload.upload_id}: the server took none of the chunk at ${offset}`);
    } else if (res.status === 0 || res.status === 409 || res.status >= 500) {
      // A broken connection or a lost race: ask where the server is and go on from there.
      failures += 1;
      if (failures > 5)
        throw new CliError(
          `upload ${upload.upload_id} keeps failing (${res.status}: ${detailOf(res.body)}); continue later with --resume ${upload.upload_id}`,
        );
      const at = await client.request<{ data: UploadData }>("GET", `${base}/${upload.upload_id}`);
      if (at.status === 200) offset = at.body.data.offset;
    } else ok(client, res, `uploading ${file}`);
    const s = (performance.now() - started) / 1000;
    bar.update(
      offset / size,
      `${mb(offset)} of ${mb(size)} MB  ${s > 0 ? mb((offset - upload.offset) / s) : "0"} MB/s`,
    );
  }
  bar.done(`${mb(size)} MB sent, verifying`);
  const done = await client.request<{ message: string; data: Record<string, unknown> }>(
    "POST",
    `${base}/${upload.upload_id}/complete`,
  );
  const release = ok(client, done, "completing the upload");
  printAs(values.json, release.data, () =>
    print(`${release.message}\nsha256 ${release.data.sha256}, signed by ${release.data.signed_by}`),
  );
  return 0;
}

/** PATCHes one chunk as it is read from disk (never buffered whole); no answer is status 0. */
async function sendChunk(
  client: ApiClient,
  path: string,
  offset: number,
  chunk: Readable,
): Promise<ApiResponse<{ data?: UploadData; detail?: unknown }>> {
  const started = performance.now();
  try {
    const res = await fetch(`${client.base}${path}`, {
      method: "PATCH",
      headers: {
        "user-agent": client.userAgent,
        accept: "application/json",
        authorization: `Bearer ${client.token ?? ""}`,
        "content-type": "application/offset+octet-stream",
        "upload-offset": String(offset),
      },
      body: Readable.toWeb(chunk) as ReadableStream,
      duplex: "half",
      signal: AbortSignal.timeout(600_000),
    } as RequestInit);
    const text = await res.text();
    let body: { data?: UploadData; detail?: unknown } = { detail: text };
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's page): keep the text as the detail.
    }
    return { status: res.status, body, ms: performance.now() - started };
  } catch (error) {
    chunk.destroy();
    return { status: 0, body: { detail: (error as Error).message }, ms: performance.now() - started };
  }
}

async function list(client: ApiClient, values: Values): Promise<number> {
  const query = new URLSearchParams();
  if (values.type) query.set("release_type", values.type);
  if (values.name) query.set("name", values.name);
  if (values.status) query.set("status", values.status);
  query.set("limit", values.limit ?? "50");
  const res = await client.request<{ total: number; releases: Record<string, unknown>[] }>(
    "GET",
    `/api/v1/releases?${query}`,
  );
  const body = ok(client, res, "listing releases");
  printList(
    values.json,
    body.releases,
    (r) => ({
      release_id: r.release_id,
      type: r.release_type,
      name: r.name,
      version: r.version,
      mb: mb(Number(r.size_bytes)),
      status: r.status,
      signed_by: r.signed_by,
      created: r.created_at,
    }),
    { total: body.total, columns: ["release_id", "type", "name", "version", "mb", "status", "signed_by", "created"] },
  );
  return 0;
}

async function change(client: ApiClient, sub: string, releaseId: string, values: Values): Promise<number> {
  const path = `/api/v1/releases/${encodeURIComponent(releaseId)}`;
  const res =
    sub === "show"
      ? await client.request("GET", path)
      : sub === "deprecate"
        ? await client.request("POST", `${path}/deprecate`)
        : await client.request("DELETE", path);
  const body = ok(client, res, `${sub} ${releaseId}`) as { message?: string; data?: Record<string, unknown> };
  if (values.json) printJson(body.data ?? body);
  else if (sub === "show" && body.data) {
    const { compatibility, signing_key, signature, ...rest } = body.data;
    for (const [k, v] of Object.entries({ ...rest, compatibility: JSON.stringify(compatibility) }))
      print(`${k.padEnd(20)} ${v ?? ""}`);
  } else print(body.message ?? "done");
  return 0;
}

async function sign(file: string, values: Values): Promise<number> {
  if (!values.key) throw new CliError("--key KEYFILE (an Ed25519 private key, PEM) is required", 2);
  fileSize(file);
  const signed = signRelease({ ...identityFlags(values), sha256: await sha256OfFile(file) }, values.key);
  const out = values.out ?? `${file}.sig`;
  writeFileSync(out, `${JSON.stringify(signed, null, 2)}\n`);
  printAs(values.json, { ...signed, file: out }, () =>
    print(
      `signed ${signed.name} ${signed.version} (${signed.release_type}, sha256 ${signed.sha256.slice(0, 12)}…) with key ${signed.key_id}\n` +
        `signature written to ${out}; push with: homepot release push ${file} --signature ${out} …`,
    ),
  );
  return 0;
}

async function keygen(values: Values): Promise<number> {
  if (!values.out) throw new CliError("--out KEYFILE is required", 2);
  const publicKey = generateSigningKey(values.out);
  printAs(values.json, { private_key_file: values.out, public_key: publicKey }, () =>
    print(
      `private key written to ${values.out} (mode 0600); keep it offline.\n` +
        `Add this public key to the server's HOMEPOT_RELEASE_TRUSTED_KEYS file:\n${publicKey.trim()}`,
    ),
  );
  return 0;
}
