import {
  type Context,
  ForbiddenError,
  RateLimitedError,
  type Role,
  recordAudit,
  silentLogger,
  UnauthorizedError,
} from "@homepot/core";
import { DeviceKeyCache, type KeyCheck } from "@homepot/core/devices/device-key-cache";
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";

/** The authenticated device of a request (set by `app.authenticateDevice`). */
export interface RequestDevice {
  deviceId: string;
  siteId: string;
  lifecycleState: KeyCheckOk["lifecycleState"];
}
type KeyCheckOk = Extract<KeyCheck, { ok: true }>;

declare module "fastify" {
  interface FastifyInstance {
    /** Cached device-key verification; call `forget(deviceId)` after changing a device's key. */
    deviceKeys: DeviceKeyCache;
    /** onRequest hook: X-Device-ID + X-API-Key of an active device, else 401 (failures rate-limited per IP and audited). */
    authenticateDevice: onRequestHookHandler;
    /** onRequest hook: a device key when the device headers are sent, otherwise a user of at least `role`. */
    authenticateDeviceOr(role: Role): onRequestHookHandler;
  }
  interface FastifyRequest {
    device?: RequestDevice;
  }
  interface FastifyContextConfig {
    /** The route serves devices still waiting for approval (registration calls such as device DNA). */
    allowPendingDevice?: boolean;
  }
}

export interface DeviceAuthOptions {
  /** Failed attempts allowed per client IP per window before answering 429. */
  maxFailures?: number;
  windowMs?: number;
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
};

export function registerDeviceAuth(app: FastifyInstance, options: DeviceAuthOptions = {}): void {
  const maxFailures = options.maxFailures ?? 60;
  const windowMs = options.windowMs ?? 60_000;
  const cache = new DeviceKeyCache(app.deps.database.db, app.deps.clock);
  const failures = new Map<string, { count: number; windowStart: number }>();
  app.decorate("deviceKeys", cache);
  app.decorateRequest("device", undefined);

  function systemCtx(request: FastifyRequest): Context {
    return {
      db: app.deps.database.db,
      actor: {
        kind: "device",
        deviceId: header(request, "x-device-id")?.slice(0, 100) ?? "unknown",
        ip: request.ip,
        userAgent: request.headers["user-agent"],
      },
      clock: app.deps.clock,
      logger: silentLogger,
    };
  }

  function failure(request: FastifyRequest, reason: string): never {
    const now = Date.now();
    const ip = request.ip;
    let slot = failures.get(ip);
    if (!slot || now - slot.windowStart > windowMs) {
      slot = { count: 0, windowStart: now };
      failures.set(ip, slot);
      if (failures.size > 50_000) failures.clear();
    }
    slot.count += 1;
    const claimed = header(request, "x-device-id")?.slice(0, 100) ?? null;
    // Audit each failure up to the limit (so the audit trail is bounded per IP), and the moment it is hit.
    if (slot.count <= maxFailures) {
      const ctx = systemCtx(request);
      const audit = (eventType: string, description: string) =>
        void recordAudit(ctx, {
          eventType,
          description,
          metadata: { claimed_device_id: claimed, reason, path: request.url.split("?")[0] },
        }).catch((err) => request.log.error({ err }, "could not audit a device auth failure"));
      audit("device_auth_failed", `Device authentication failed for ${claimed ?? "(no device id)"}: ${reason}`);
      if (slot.count === maxFailures)
        audit("device_auth_rate_limited", `Device authentication rate-limited for ${ip} after ${maxFailures} failures`);
    }
    throw new UnauthorizedError(
      reason === "missing_headers"
        ? "Device authentication required: send X-Device-ID and X-API-Key"
        : "Invalid device credentials",
    );
  }

  /** Sets the request's device; a cached key (the usual case) is checked without a promise, else the database. */
  const identify = (request: FastifyRequest): Promise<void> | undefined => {
    const slot = failures.get(request.ip);
    if (slot && slot.count >= maxFailures && Date.now() - slot.windowStart <= windowMs) {
      const retry = Math.max(1, Math.ceil((slot.windowStart + windowMs - Date.now()) / 1000));
      slot.count += 1;
      throw new RateLimitedError("Too many failed device authentications from this address", retry);
    }
    const deviceId = header(request, "x-device-id");
    const key = header(request, "x-api-key");
    if (!deviceId || !key) failure(request, "missing_headers");
    const cached = cache.verifyCached(deviceId, key);
    if (cached) return admit(request, cached);
    return cache.verify(deviceId, key).then((check) => admit(request, check));
  };

  const admit = (request: FastifyRequest, check: KeyCheck): undefined => {
    if (!check.ok) failure(request, check.reason);
    // A suspended device keeps its key but is refused everything (ingest, commands) until resumed.
    if (check.lifecycleState === "suspended")
      throw new ForbiddenError(`Device ${check.deviceId} is suspended; its data is refused until it is resumed`);
    if (check.lifecycleState === "pending" && !request.routeOptions.config.allowPendingDevice)
      throw new ForbiddenError("This device is waiting for an operator's approval; until then it may only register");
    request.device = { deviceId: check.deviceId, siteId: check.siteId, lifecycleState: check.lifecycleState };
    request.actor = {
      kind: "device",
      deviceId: check.deviceId,
      ip: request.ip,
      userAgent: request.headers["user-agent"],
    };
    return undefined;
  };

  // Callback style (a throw or `done(error)` is the hook's error): no promise per request on the hot path.
  const authenticateDevice = (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    const pending = identify(request);
    if (pending) pending.then(() => done(), done);
    else done();
  };
  app.decorate("authenticateDevice", authenticateDevice);

  app.decorate("authenticateDeviceOr", (role: Role) => {
    const asUser = app.authorize(role);
    return async function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      if (request.headers["x-device-id"] !== undefined || request.headers["x-api-key"] !== undefined)
        return identify(request);
      return (asUser as unknown as (req: FastifyRequest, rep: FastifyReply) => Promise<void>).call(
        this,
        request,
        reply,
      );
    };
  });
}
