import { type Db, devices } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { Clock } from "../context.ts";
import { hashDeviceKeyBytes, hashesEqual, isWellFormedDeviceKey } from "./device-key.ts";
import { readKeyEpoch } from "./key-epoch.ts";

type LifecycleState = (typeof devices.$inferSelect)["lifecycleState"];

export type KeyCheck =
  | { ok: true; deviceId: string; siteId: string; lifecycleState: LifecycleState }
  | { ok: false; reason: "malformed_key" | "unknown_device" | "no_key" | "wrong_key" };

interface Entry {
  /** null: the device does not exist, is deleted or has no key (a negative entry). */
  found: {
    siteId: string;
    lifecycleState: LifecycleState;
    hash: Buffer | null;
    previousHash: Buffer | null;
    previousExpiresAt: number;
  } | null;
  expiresAt: number;
}

export interface DeviceKeyCacheOptions {
  /** How long a device's key hashes are trusted without re-reading them (a safety net; changes bump the epoch). */
  ttlMs?: number;
  /** How long "no such device" is remembered, so floods of bad ids stay off the database. */
  negativeTtlMs?: number;
  /** How often the shared revocation epoch is re-read (one tiny query per interval per instance). */
  epochCheckMs?: number;
  maxEntries?: number;
}

/**
 * Verifies device keys on the hot path without touching the database: key hashes are cached per
 * device (with negative entries), compared in constant time, and the whole cache is dropped when the
 * revocation epoch in app_state moves, so a rotation or revocation on any instance applies everywhere
 * within `epochCheckMs`, and at once on the instance that made it (`forget`).
 */
export class DeviceKeyCache {
  private readonly entries = new Map<string, Entry>();
  private epoch: number | undefined;
  private epochCheckedAt = 0;
  private epochCheck: Promise<void> | undefined;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly epochCheckMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    options: DeviceKeyCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.epochCheckMs = options.epochCheckMs ?? 1_000;
    this.maxEntries = options.maxEntries ?? 200_000;
  }

  async verify(deviceId: string, key: string): Promise<KeyCheck> {
    if (!isWellFormedDeviceKey(key)) return { ok: false, reason: "malformed_key" };
    await this.checkEpoch();
    return this.check(await this.entry(deviceId), deviceId, key);
  }

  /**
   * The hot path's answer without a single await: the check when the epoch is fresh and the device is cached,
   * else undefined (then call `verify`).
   */
  verifyCached(deviceId: string, key: string): KeyCheck | undefined {
    const now = Date.now();
    if (now - this.epochCheckedAt >= this.epochCheckMs) return undefined;
    const hit = this.entries.get(deviceId);
    if (!hit || hit.expiresAt <= now) return undefined;
    if (!isWellFormedDeviceKey(key)) return { ok: false, reason: "malformed_key" };
    return this.check(hit, deviceId, key);
  }

  private check(entry: Entry, deviceId: string, key: string): KeyCheck {
    if (!entry.found) return { ok: false, reason: "unknown_device" };
    const { hash, previousHash, previousExpiresAt, siteId, lifecycleState } = entry.found;
    if (!hash && !previousHash) return { ok: false, reason: "no_key" };
    const presented = hashDeviceKeyBytes(key);
    // Both comparisons always run, so timing does not reveal which one matched.
    const current = hash ? hashesEqual(presented, hash) : false;
    const previous = previousHash
      ? hashesEqual(presented, previousHash) && previousExpiresAt > this.clock.now().getTime()
      : false;
    return current || previous ? { ok: true, deviceId, siteId, lifecycleState } : { ok: false, reason: "wrong_key" };
  }

  /** Drops one device's cached state (after a change on this instance). */
  forget(deviceId: string): void {
    this.entries.delete(deviceId);
  }

  clear(): void {
    this.entries.clear();
  }

  private async entry(deviceId: string): Promise<Entry> {
    const now = Date.now();
    const hit = this.entries.get(deviceId);
    if (hit && hit.expiresAt > now) return hit;
    const [row] = await this.db
      .select({
        siteId: devices.siteId,
        lifecycleState: devices.lifecycleState,
        isActive: devices.isActive,
        hash: devices.apiKeyHash,
        previousHash: devices.previousApiKeyHash,
        previousExpiresAt: devices.previousApiKeyExpiresAt,
      })
      .from(devices)
      .where(eq(devices.deviceId, deviceId))
      .limit(1);
    const entry: Entry = row?.isActive
      ? {
          found: {
            siteId: row.siteId,
            lifecycleState: row.lifecycleState,
            hash: row.hash ? Buffer.from(row.hash, "hex") : null,
            previousHash: row.previousHash ? Buffer.from(row.previousHash, "hex") : null,
            previousExpiresAt: row.previousExpiresAt?.getTime() ?? 0,
          },
          expiresAt: now + this.ttlMs,
        }
      : { found: null, expiresAt: now + this.negativeTtlMs };
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(deviceId, entry);
    return entry;
  }

  private async checkEpoch(): Promise<void> {
    if (Date.now() - this.epochCheckedAt < this.epochCheckMs) return;
    // One read per interval, shared by every request waiting on it.
    this.epochCheck ??= (async () => {
      // The epoch read is at least as new as the moment it was sent: that moment, not its answer's, starts the
      // next interval, so a slow read never stretches "within epochCheckMs" of a revocation.
      const sentAt = Date.now();
      try {
        const epoch = await readKeyEpoch(this.db);
        if (this.epoch !== undefined && epoch !== this.epoch) this.entries.clear();
        this.epoch = epoch;
        this.epochCheckedAt = sentAt;
      } finally {
        this.epochCheck = undefined;
      }
    })();
    await this.epochCheck;
  }
}
