import {
  type Access,
  type Actor,
  API_TOKEN_PREFIX,
  type ApiTokenIdentity,
  authenticateApiToken,
  ForbiddenError,
  findSession,
  findUserById,
  lowerRole,
  type Role,
  SCOPE_ROLE,
  sessionActive,
  UnauthorizedError,
  type UserRow,
} from "@homepot/core";
import { loadAccess } from "@homepot/core/tenants/load-access";
import { highestRole, PERMISSION_OF_ROLE, type Permission, permitsSomewhere } from "@homepot/core/tenants/permissions";
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { checkTargets } from "./targets.ts";

export const COOKIE_NAME = "access_token";
/** The rotating refresh token: httpOnly, SameSite=strict, sent only to /api/v1/auth. */
export const REFRESH_COOKIE = "refresh_token";
const ISSUER = "homepot";
const USER_CACHE_MS = 15_000;

interface Claims {
  sub: string;
  email: string;
  username: string;
  role: Role;
  /** The user's token version when the token was issued; logout and password resets bump it. */
  tv?: number;
  /** The session (sign-in) the token belongs to; ending the session ends its access tokens too. */
  sid?: string;
}

declare module "fastify" {
  interface FastifyInstance {
    tokens: TokenService;
    /**
     * onRequest hook: a signed-in, active user who holds `need` somewhere (a role stands for its permission; none:
     * any signed-in user). The identifiers the request names are then checked by the target hook (routes/targets.ts).
     */
    authorize(need?: Role | Permission): onRequestHookHandler;
    /** Forget the cached state of a user (after a role or active change). */
    forgetUser(userId: number): void;
    /** Forget the cached state of a session (after it ended). */
    forgetSession(sessionId: string): void;
  }
  interface FastifyRequest {
    /** Token version of the caller's token (absent in tokens issued before versions existed: 0). */
    tokenVersion?: number;
    /** The session a dashboard or login token belongs to (its `sid`). */
    sessionId?: string;
    /** Set when the caller authenticated with an API token (`hpt_…`) rather than a session. */
    apiToken?: ApiTokenIdentity;
    /** Why the presented credential was refused (said by `authorize`), e.g. "API token revoked". */
    authProblem?: string;
    /** What the route needs, set by `authorize`: the target hook checks it at every site the request names. */
    permission?: Permission;
  }
}

export class TokenService {
  private readonly key: Uint8Array;
  constructor(
    secret: string,
    readonly ttlS: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(
    user: Pick<UserRow, "id" | "email" | "username" | "role" | "tokenVersion">,
    sessionId?: string,
  ): Promise<string> {
    const claims = {
      email: user.email,
      username: user.username,
      role: user.role,
      tv: user.tokenVersion,
      sid: sessionId,
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(String(user.id))
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + this.ttlS)
      .sign(this.key);
  }

  /** The token's claims, or undefined when it is malformed, tampered with or expired. */
  async verify(token: string): Promise<Claims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ["HS256"] });
      if (typeof payload.sub !== "string" || !/^\d+$/.test(payload.sub)) return undefined;
      return payload as unknown as Claims;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return undefined;
      throw error;
    }
  }
}

export function bearerOrCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith("bearer ")) return header.slice(7).trim() || undefined;
  return request.cookies?.[COOKIE_NAME] || undefined;
}

export function registerAuth(app: FastifyInstance, tokens: TokenService): void {
  const cache = new Map<number, { user: UserRow | undefined; at: number }>();
  const accesses = new Map<string, { access: Access; at: number }>();
  const sessions = new Map<string, { active: boolean; at: number }>();
  app.decorate("tokens", tokens);
  app.decorate("forgetUser", (userId: number) => {
    cache.delete(userId);
    for (const key of accesses.keys()) if (key.startsWith(`${userId}:`)) accesses.delete(key);
  });
  app.decorate("forgetSession", (sessionId: string) => void sessions.delete(sessionId));

  async function currentUser(userId: number): Promise<UserRow | undefined> {
    const hit = cache.get(userId);
    if (hit && Date.now() - hit.at < USER_CACHE_MS) return hit.user;
    const user = await findUserById(app.deps.database.db, userId);
    cache.set(userId, { user, at: Date.now() });
    return user;
  }

  /** Where the user may act (memberships), cached like users; an API token's scope and reach narrow it. */
  async function accessOf(user: UserRow, token: ApiTokenIdentity | undefined): Promise<Access> {
    const key = `${user.id}:${user.isAdmin}:${token ? token.tokenId : "-"}`;
    const hit = accesses.get(key);
    if (hit && Date.now() - hit.at < USER_CACHE_MS) return hit.access;
    const cap = token && { role: SCOPE_ROLE[token.scope], tenantId: token.tenantId, siteId: token.siteId };
    const access = await loadAccess(app.deps.database.db, user, cap);
    if (accesses.size > 10_000) accesses.clear();
    accesses.set(key, { access, at: Date.now() });
    return access;
  }

  /** Whether the token's session still stands (cached like users; ending one here forgets it at once). */
  async function sessionStands(sessionId: string): Promise<boolean> {
    const hit = sessions.get(sessionId);
    if (hit && Date.now() - hit.at < USER_CACHE_MS) return hit.active;
    const row = await findSession(app.deps.database.db, sessionId);
    const active = row !== undefined && sessionActive(row, app.deps.clock.now());
    if (sessions.size > 10_000) sessions.clear();
    sessions.set(sessionId, { active, at: Date.now() });
    return active;
  }

  /** An API token is looked up on every use (no cache), so revoking one takes effect at once. */
  async function identifyApiToken(request: FastifyRequest, token: string): Promise<void> {
    try {
      request.apiToken = await authenticateApiToken(app.deps.database.db, token, app.deps.clock.now(), request.ip);
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      request.authProblem = error.message;
      return;
    }
    const user = await currentUser(request.apiToken.userId);
    if (!user) return;
    request.actor = {
      kind: "user",
      userId: user.id,
      email: user.email,
      username: user.username,
      role: lowerRole(user.role as Role, SCOPE_ROLE[request.apiToken.scope]),
      ip: request.ip,
      userAgent: request.headers["user-agent"],
    };
  }

  // Identify the caller on every request (cheap: a signature check, or one indexed lookup for an API token), so
  // logs are attributed even on routes that do not require a user. Callback style: a request with no token (every
  // device call) passes without a promise.
  app.addHook("onRequest", (request, _reply, done) => {
    if (request.actor) return done();
    const token = bearerOrCookie(request);
    if (!token) return done();
    identify(request, token).then(() => done(), done);
  });

  async function identify(request: FastifyRequest, token: string): Promise<void> {
    if (token.startsWith(`${API_TOKEN_PREFIX}_`)) return identifyApiToken(request, token);
    const claims = await tokens.verify(token);
    if (!claims) return;
    request.tokenVersion = typeof claims.tv === "number" ? claims.tv : 0;
    if (typeof claims.sid === "string") request.sessionId = claims.sid;
    request.actor = {
      kind: "user",
      userId: Number(claims.sub),
      email: claims.email,
      username: claims.username,
      role: claims.role,
      ip: request.ip,
      userAgent: request.headers["user-agent"],
    };
  }

  app.decorate("authorize", (need?: Role | Permission) => {
    const permission =
      need === undefined
        ? undefined
        : (((PERMISSION_OF_ROLE as Record<string, Permission>)[need] ?? need) as Permission);
    return async (request: FastifyRequest, _reply: FastifyReply) => {
      const actor = request.actor;
      if (actor?.kind !== "user") {
        const problem = request.authProblem ?? (bearerOrCookie(request) ? "Invalid or expired token" : undefined);
        throw new UnauthorizedError(problem ?? "Not authenticated");
      }
      const user = await currentUser(actor.userId);
      if (!user?.isActive) throw new UnauthorizedError("Account disabled or removed");
      // Logout, a password reset or disabling bumps the version: session tokens issued before are dead.
      // API tokens live until they expire or are revoked, whatever happens to the owner's sessions.
      if (!request.apiToken && (request.tokenVersion ?? 0) !== user.tokenVersion)
        throw new UnauthorizedError("Session ended; sign in again");
      if (request.sessionId && !(await sessionStands(request.sessionId)))
        throw new UnauthorizedError("Session ended; sign in again");
      // Roles and memberships are read from the database, so a demotion takes effect without waiting for the token
      // to expire; an API token acts with the lower of its scope and its owner's roles, within its reach.
      const access = await accessOf(user, request.apiToken);
      const role = highestRole(access) ?? lowerRole(user.role as Role, "viewer");
      request.actor = { ...actor, role, access, username: user.username, email: user.email } satisfies Actor;
      if (permission === undefined) return;
      request.permission = permission;
      if (!permitsSomewhere(access, permission))
        throw new ForbiddenError(`Requires the ${need} ${need === permission ? "permission" : "role"}`);
      await checkTargets(request, "path");
    };
  });
}

/**
 * Route config: at most `max` calls a minute per signed-in user (keyed by user id, counted after `authorize` ran,
 * so one user's script cannot flood a device and two users behind one address do not share a budget); 429 beyond.
 */
export function perUserRateLimit(max: number) {
  return {
    rateLimit: {
      max,
      timeWindow: "1 minute",
      hook: "preHandler" as const,
      keyGenerator: (request: FastifyRequest) =>
        request.actor?.kind === "user" ? `user:${request.actor.userId}` : `ip:${request.ip}`,
    },
  };
}
