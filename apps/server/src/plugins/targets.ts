import { NotFoundError } from "@homepot/core";
import { authorize, type Target } from "@homepot/core/tenants/authorize";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { requestContext } from "./context.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route's use case authorises its own targets (the tenant routes, whose `site_id` is sites.id). */
    ownTargets?: boolean;
  }
}

type Fields = Record<string, unknown>;
/** A target and the request field that named it. */
type Named = [field: string, target: Target];

/** The targets one field of the request names (a path parameter, a query filter or a body field). */
function targetsOf(fields: Fields, url: string, isBody: boolean): Named[] {
  const found: Named[] = [];
  const text = (key: string) => (typeof fields[key] === "string" ? (fields[key] as string) : undefined);
  // The original HOMEPOT's tenant routes name a tenant and a site by their numeric ids.
  if (url.startsWith("/api/v1/tenants/:tenant_id")) {
    const key = (name: string) => Number(fields[name]);
    if (Number.isSafeInteger(key("tenant_id"))) found.push(["tenant_id", { tenantId: key("tenant_id") }]);
    if (Number.isSafeInteger(key("site_id"))) found.push(["site_id", { siteKey: key("site_id") }]);
    return found;
  }
  for (const key of ["site_id", "target_site_id"]) {
    const siteId = text(key);
    if (siteId) found.push([key, { siteId }]);
  }
  // A body's device_id is the id of a device being registered; existing devices are named in paths and lists.
  const deviceId = isBody ? undefined : text("device_id");
  if (deviceId) found.push(["device_id", { deviceId }]);
  const jobId = text("job_id");
  if (jobId) found.push(["job_id", { jobId }]);
  const commandId = text("command_id");
  if (commandId) found.push(["command_id", { commandId }]);
  const intentId = text("intent_id");
  if (intentId) found.push(["intent_id", { intentId }]);
  const alertId = Number(fields.id);
  if (/\/alerts\/:id(\/|$)/.test(url) && Number.isSafeInteger(alertId) && alertId > 0) found.push(["id", { alertId }]);
  return found;
}

const isFields = (part: unknown): part is Fields => typeof part === "object" && part !== null && !Array.isArray(part);

/**
 * Every identifier a signed-in user's request names goes through the one authorisation function: a path naming
 * another tenant's site, device, job, command, intent or alert answers 404 as if it did not exist (a body's site
 * too, naming the field), and one seen without the route's permission 403. Lists of device ids in a body (jobs,
 * bulk actions, template runs) are looked up within the caller's sites by their use cases: another tenant's device
 * is reported exactly like an unknown one.
 * `authorize` checks the path as soon as the caller is known (before the body is even validated, so a 422 never
 * confirms an id); the body once it is parsed. Query filters need no check: every list is scoped (`inScope`), so a
 * filter on another tenant's site finds nothing, exactly like one on a site that does not exist.
 */
export async function checkTargets(request: FastifyRequest, part: "path" | "body"): Promise<void> {
  const permission = request.permission;
  if (!permission || request.actor?.kind !== "user" || request.routeOptions.config.ownTargets) return;
  const fields = part === "path" ? request.params : request.body;
  if (!isFields(fields)) return;
  const ctx = requestContext(request);
  for (const [field, target] of targetsOf(fields, request.routeOptions.url ?? "", part === "body")) {
    try {
      await authorize(ctx, permission, target);
    } catch (error) {
      if (part === "body" && error instanceof NotFoundError) throw new NotFoundError(`${error.message} (${field})`);
      throw error;
    }
  }
}

/** Checks bodies' targets; a request with nothing to check (a device's ingest, say) passes without a promise. */
export function registerTargetCheck(app: FastifyInstance): void {
  app.addHook("preHandler", (request, _reply, done) => {
    if (!request.permission || request.actor?.kind !== "user") return done();
    checkTargets(request, "body").then(() => done(), done);
  });
}
