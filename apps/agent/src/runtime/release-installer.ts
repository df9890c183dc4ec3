import { execFile } from "node:child_process";
import { createHash, createPublicKey, verify } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseReleaseCommand, type ReleaseCommandPayload, releaseManifest } from "@homepot/contracts/releases";
import { writeFileAtomic } from "../state/atomic-file.ts";
import type { ApiClient } from "./api.ts";
import type { CommandOutcome, HealthSummary } from "./executor.ts";
import type { Logger } from "./logger.ts";

export type ReleasePayload = ReleaseCommandPayload;

export interface InstalledRelease {
  release_id: string;
  name: string;
  version: string;
  path: string;
}

export interface ReleaseInstallerDeps {
  api: ApiClient;
  /** The agent's folder: `releases/` (staging, installed artifacts, installed.json) and `release-keys.pem` go in it. */
  dir: string;
  /** `--install-hook`: run as `HOOK install|rollback ARTIFACT` with HOMEPOT_RELEASE_* set; none = download and report. */
  installHook?: string | undefined;
  log: Logger;
  takeHealth(): Promise<HealthSummary>;
  sleep(ms: number): Promise<void>;
  /** Download attempts (each resumes where the last stopped). */
  attempts?: number;
}

const OS_FAMILY: Record<string, string> = { linux: "linux", win32: "windows", darwin: "macos", android: "android" };

class Refused extends Error {}

/**
 * Installs a release: download to a staging file (resuming with Range after a broken connection), verify the
 * SHA-256 and the Ed25519 signature with a pinned key, run the install hook, keep the previous artifact, and roll
 * back through the hook when health got worse (if the job asked for it). Every refusal says why in the result.
 */
export class ReleaseInstaller {
  constructor(private readonly deps: ReleaseInstallerDeps) {
    mkdirSync(join(deps.dir, "releases", "staging"), { recursive: true, mode: 0o700 });
  }

  private get keysFile() {
    return join(this.deps.dir, "release-keys.pem");
  }
  private get installedFile() {
    return join(this.deps.dir, "releases", "installed.json");
  }

  /** What is installed, per type, with the previous one kept for rollback. */
  installed(): Partial<
    Record<"software" | "firmware", { current: InstalledRelease; previous: InstalledRelease | null }>
  > {
    if (!existsSync(this.installedFile)) return {};
    try {
      return JSON.parse(readFileSync(this.installedFile, "utf8"));
    } catch {
      return {};
    }
  }

  /** Installed versions for health reports. */
  versions(): { software_version: string | null; firmware_version: string | null } {
    const i = this.installed();
    return {
      software_version: i.software?.current.version ?? null,
      firmware_version: i.firmware?.current.version ?? null,
    };
  }

  /**
   * The release keys this device trusts: pinned at registration (`homepot-agent register` stores them), or on
   * first use from the server's /releases/public-key. A later key change on the server is not followed.
   */
  async pinnedKeys(): Promise<string[]> {
    if (!existsSync(this.keysFile)) await pinReleaseKeys(this.deps.api, this.deps.dir);
    const text = readFileSync(this.keysFile, "utf8");
    return (text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? []).map(canonical);
  }

  async install(raw: unknown, rollbackOnDegradation: boolean): Promise<CommandOutcome> {
    const release = parsePayload(raw);
    if (typeof release === "string") return refused(null, release);
    const base = { release_id: release.release_id, name: release.name, version: release.version };
    const platform = OS_FAMILY[process.platform] ?? process.platform;
    if (release.os_families.length && !release.os_families.includes(platform))
      return refused(base, `this device runs ${platform}, the release is for ${release.os_families.join(", ")}`);
    try {
      if (!(await this.pinnedKeys()).includes(canonical(release.signing_key)))
        throw new Refused("signed by a key this device does not trust");
      const before = await this.deps.takeHealth();
      const staged = await this.download(release);
      await this.verify(release, staged);
      const target = join(this.deps.dir, "releases", release.release_type, `${release.name}-${release.version}`);
      mkdirSync(join(this.deps.dir, "releases", release.release_type), { recursive: true, mode: 0o700 });
      renameSync(staged, target);
      if (!this.deps.installHook) {
        this.deps.log.info(base, "release downloaded and verified (no --install-hook: not installed)");
        return ok({ ...base, outcome: "downloaded", path: target, verified: true, installed_version: null });
      }
      const installed = this.installed();
      const previous = installed[release.release_type]?.current ?? null;
      await this.hook("install", target, release);
      const current = { release_id: release.release_id, name: release.name, version: release.version, path: target };
      this.save({ ...installed, [release.release_type]: { current, previous } });
      await this.deps.sleep(2000);
      const after = await this.deps.takeHealth();
      const result = {
        ...base,
        verified: true,
        previous_version: previous?.version ?? null,
        performance_before: before,
        performance_after: after,
      };
      if (rollbackOnDegradation && before.status === "healthy" && after.status === "unhealthy") {
        return await this.rollback(release, previous, result, after.error);
      }
      this.deps.log.info(base, "release installed");
      return ok({ ...result, outcome: "installed", installed_version: release.version });
    } catch (error) {
      if (error instanceof Refused) return refused(base, error.message);
      return {
        status: "failed",
        result: { ...base, outcome: "failed", error: (error as Error).message },
        error_message: `release ${release.version} not installed: ${(error as Error).message}`,
      };
    }
  }

  private async rollback(
    release: ReleasePayload,
    previous: InstalledRelease | null,
    result: Record<string, unknown>,
    why: string | null,
  ): Promise<CommandOutcome> {
    if (previous) await this.hook("rollback", previous.path, { ...release, ...previous });
    const installed = this.installed();
    const kept = previous ? { current: previous, previous: null } : undefined;
    this.save({ ...installed, [release.release_type]: kept });
    this.deps.log.warn({ version: release.version, error: why }, "release rolled back: health got worse");
    return {
      status: "failed",
      result: { ...result, outcome: "rolled_back", installed_version: previous?.version ?? null },
      error_message: `rolled back to ${previous?.version ?? "nothing"}: health became unhealthy after installing ${release.version} (${why})`,
    };
  }

  /** Fetches into `staging/<sha256>.part`, continuing a partial file with a Range request. */
  private async download(release: ReleasePayload): Promise<string> {
    const file = join(this.deps.dir, "releases", "staging", `${release.sha256}.part`);
    const attempts = this.deps.attempts ?? 5;
    for (let attempt = 1; ; attempt += 1) {
      const have = existsSync(file) ? statSync(file).size : 0;
      if (have === release.size_bytes) return file;
      if (have > release.size_bytes) rmSync(file);
      try {
        await this.fetchFrom(release, file, have > release.size_bytes ? 0 : have);
      } catch (error) {
        if (error instanceof Refused || attempt >= attempts) throw error;
        this.deps.log.warn({ attempt, error: (error as Error).message }, "release download interrupted; resuming");
        await this.deps.sleep(Math.min(30_000, 500 * 2 ** attempt));
      }
    }
  }

  private async fetchFrom(release: ReleasePayload, file: string, offset: number): Promise<void> {
    const headers: Record<string, string> = { ...this.deps.api.deviceHeaders(), "accept-encoding": "identity" };
    if (offset > 0) Object.assign(headers, { range: `bytes=${offset}-`, "if-range": `"${release.sha256}"` });
    const res = await fetch(this.deps.api.url(release.download_path.replace(/^\//, "")), { headers });
    if (res.status === 403 || res.status === 404 || res.status === 401) {
      const body = (await res.json().catch(() => ({}))) as { detail?: string };
      throw new Refused(`the server refused the download (${res.status}: ${body.detail ?? "no detail"})`);
    }
    if (res.status !== 200 && res.status !== 206) throw new Error(`download answered HTTP ${res.status}`);
    if (!res.body) throw new Error("download answered no body");
    const append = res.status === 206;
    const out = createWriteStream(file, { flags: append ? "a" : "w", mode: 0o600 });
    await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), out);
  }

  /** SHA-256 of the staged bytes, then the signature of the manifest; a mismatch deletes the staging file. */
  private async verify(release: ReleasePayload, file: string): Promise<void> {
    const hasher = createHash("sha256");
    await pipeline(createReadStream(file), hasher);
    const hash = hasher.digest("hex");
    if (hash !== release.sha256) {
      rmSync(file, { force: true });
      throw new Refused(`hash mismatch: the download hashes to ${hash}, the release says ${release.sha256}`);
    }
    const good = (() => {
      try {
        return verify(
          null,
          Buffer.from(releaseManifest(release)),
          createPublicKey(release.signing_key),
          Buffer.from(release.signature, "base64"),
        );
      } catch {
        return false;
      }
    })();
    if (!good) {
      rmSync(file, { force: true });
      throw new Refused("signature does not verify for this release's name, version, type and hash");
    }
  }

  private hook(
    action: "install" | "rollback",
    artifact: string,
    release: Pick<ReleasePayload, "name" | "version"> & { release_type?: string; release_id: string },
  ) {
    const hook = this.deps.installHook as string;
    return new Promise<void>((resolve, reject) => {
      execFile(
        hook,
        [action, artifact],
        {
          timeout: 30 * 60_000,
          maxBuffer: 1024 * 1024,
          env: {
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            HOMEPOT_RELEASE_ID: release.release_id,
            HOMEPOT_RELEASE_NAME: release.name,
            HOMEPOT_RELEASE_VERSION: release.version,
            HOMEPOT_RELEASE_TYPE: release.release_type ?? "",
            HOMEPOT_RELEASE_FILE: artifact,
          },
        },
        (error, _stdout, stderr) => {
          if (!error) return resolve();
          reject(
            new Error(
              `install hook ${action} failed (${error.code ?? error.message}): ${String(stderr).trim().slice(-500)}`,
            ),
          );
        },
      );
    });
  }

  private save(value: object): void {
    writeFileAtomic(this.installedFile, `${JSON.stringify(value, null, 2)}\n`, 0o600);
  }
}

/**
 * Pins the server's release keys (its own and the trusted offline ones) in the agent's folder: the ones an
 * enrolment answer carried (`release_key`), else fetched from GET /releases/public-key.
 */
export async function pinReleaseKeys(api: ApiClient, dir: string, given?: unknown): Promise<number> {
  let data = given as { public_key?: unknown; trusted_keys?: unknown } | undefined;
  if (typeof data?.public_key !== "string") {
    const res = await api.call("GET /releases/public-key", {}, { device: false });
    data = res.ok ? res.body?.data : undefined;
    if (res.status !== 200 || typeof data?.public_key !== "string")
      throw new Error(`could not fetch the release key (HTTP ${res.status})`);
  }
  const keys = [
    data.public_key as string,
    ...(Array.isArray(data.trusted_keys) ? data.trusted_keys.filter((k) => typeof k === "string") : []),
  ];
  writeFileAtomic(join(dir, "release-keys.pem"), keys.map((k) => k.trim()).join("\n"), 0o600);
  return keys.length;
}

function canonical(pem: string): string {
  try {
    return createPublicKey(pem).export({ type: "spki", format: "pem" }).toString();
  } catch {
    return pem.trim();
  }
}

function parsePayload(raw: unknown): ReleasePayload | string {
  const r = parseReleaseCommand(raw);
  if (typeof r === "string") return r;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(r.name) || !/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(r.version))
    return "payload.release name/version have characters a file name cannot hold";
  return r;
}

const ok = (result: Record<string, unknown>): CommandOutcome => ({ status: "succeeded", result });

function refused(base: Record<string, unknown> | null, why: string): CommandOutcome {
  return {
    status: "failed",
    result: { ...(base ?? {}), outcome: "refused", verified: false, error: why },
    error_message: `release refused: ${why}`,
  };
}
