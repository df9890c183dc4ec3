import type { CreateAlertRuleBody, UpdateAlertRuleBody } from "@homepot/contracts/alerts";
import type { UseCaseInput } from "@homepot/contracts/input";
import { alertRules, devices, sites } from "@homepot/db";
import { and, eq, inArray } from "drizzle-orm";
import type { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import { authoredNow, type Context } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { insertOne } from "../rows.ts";
import { inScope } from "../tenants/authorize.ts";
import { authorizeOwner, checkNamesInTenant, chooseOwnerTenant, tenantsReached } from "../tenants/owned-objects.ts";
import { countOpenByRule, findRule, listRules, type RuleRow } from "./alert.repository.ts";
import { visibleAlerts } from "./list-alerts.ts";

export type CreateAlertRuleInput = UseCaseInput<z.infer<typeof CreateAlertRuleBody>>;
export type UpdateAlertRuleInput = UseCaseInput<z.infer<typeof UpdateAlertRuleBody>>;

function snapshot(r: RuleRow) {
  return {
    name: r.name,
    tenant_id: r.tenantId,
    enabled: r.enabled,
    condition: r.params,
    scope: r.scope,
    severity: r.severity,
  };
}

async function auditRule(ctx: Context, tx: Context["db"], eventType: string, rule: RuleRow, old?: RuleRow) {
  await recordAudit(
    ctx,
    {
      eventType,
      description: `Alert rule ${rule.id} (${rule.name}) ${eventType.replace("alert_rule_", "")}`,
      ...(old ? { oldValues: snapshot(old) } : {}),
      newValues: snapshot(rule),
      metadata: { rule_id: rule.id, tenant_id: rule.tenantId },
    },
    tx,
  );
}

export async function listAlertRules(ctx: Context): Promise<{ rule: RuleRow; openAlerts: number }[]> {
  const [rules, open] = await Promise.all([listRules(ctx.db), countOpenByRule(ctx.db, visibleAlerts(ctx))]);
  const shown = await rulesInSight(ctx, rules);
  return shown.map((rule) => ({ rule, openAlerts: open.get(rule.id) ?? 0 }));
}

/**
 * The rules a caller may read: a tenant's rules where they read something of that tenant, platform-wide ones
 * everywhere; either only when its scope names only sites and devices they see (an empty scope: all of its reach).
 */
async function rulesInSight(ctx: Context, all: RuleRow[]): Promise<RuleRow[]> {
  const bySite = inScope(ctx, { site: sites.siteId }, "read");
  if (!bySite) return all;
  const reached = await tenantsReached(ctx, "read");
  const rules = all.filter((r) => r.tenantId === null || !reached || reached.has(r.tenantId));
  const scopes = rules.map((rule) => rule.scope as { site_ids?: string[]; device_ids?: string[] });
  const named = (key: "site_ids" | "device_ids") => [...new Set(scopes.flatMap((s) => s[key] ?? []))];
  // The named ids that exist and are in sight, one query each (none named: none asked).
  const found = async (ids: string[], find: (ids: string[]) => Promise<{ id: string }[]>) =>
    new Set(ids.length ? (await find(ids)).map((r) => r.id) : []);
  const seenSites = await found(named("site_ids"), (ids) =>
    ctx.db
      .select({ id: sites.siteId })
      .from(sites)
      .where(and(inArray(sites.siteId, ids), bySite)),
  );
  const seenDevices = await found(named("device_ids"), (ids) =>
    ctx.db
      .select({ id: devices.deviceId })
      .from(devices)
      .where(and(inArray(devices.deviceId, ids), inScope(ctx, { site: devices.siteId }, "read"))),
  );
  return rules.filter((_, i) => {
    const scope = scopes[i] ?? {};
    return (
      (scope.site_ids ?? []).every((id) => seenSites.has(id)) &&
      (scope.device_ids ?? []).every((id) => seenDevices.has(id))
    );
  });
}

/** A rule the caller may read (another tenant's answers 404, like one that does not exist). */
export async function getAlertRule(ctx: Context, id: number): Promise<RuleRow> {
  const rule = await findRule(ctx.db, id);
  const [seen] = rule ? await rulesInSight(ctx, [rule]) : [];
  if (!seen) throw new NotFoundError(`Alert rule ${id} not found`);
  return seen;
}

/** A rule the caller may change: seen (else 404) and theirs to administer (else 403). */
async function getOwnRule(ctx: Context, id: number): Promise<RuleRow> {
  const rule = await getAlertRule(ctx, id);
  await authorizeOwner(ctx, rule.tenantId);
  return rule;
}

/** A tenant's rule watches only that tenant's sites and devices (segments and tags match only its devices). */
function checkScope(ctx: Context, tenantId: number | null, scope: CreateAlertRuleInput["scope"]) {
  return checkNamesInTenant(
    ctx,
    tenantId,
    { siteIds: scope.site_ids, deviceIds: scope.device_ids },
    { sites: "scope.site_ids", devices: "scope.device_ids" },
  );
}

export async function createAlertRule(ctx: Context, input: CreateAlertRuleInput): Promise<RuleRow> {
  const tenantId = await chooseOwnerTenant(ctx, input.tenantId);
  await checkScope(ctx, tenantId, input.scope);
  const rule = await ctx.db.transaction(async (tx) => {
    const rule = await insertOne(tx, alertRules, {
      name: input.name,
      tenantId,
      description: input.description ?? null,
      enabled: input.enabled,
      type: input.condition.type,
      params: input.condition,
      scope: input.scope,
      severity: input.severity,
      messageTemplate: input.messageTemplate ?? null,
      ...authoredNow(ctx),
    });
    await auditRule(ctx, tx, "alert_rule_created", rule);
    return rule;
  });
  ctx.signals?.emit({ kind: "reload", what: "rules" });
  return rule;
}

export async function updateAlertRule(ctx: Context, id: number, input: UpdateAlertRuleInput): Promise<RuleRow> {
  const before = await getOwnRule(ctx, id);
  if (input.scope) await checkScope(ctx, before.tenantId, input.scope);
  const rule = await ctx.db.transaction(async (tx) => {
    const [rule] = await tx
      .update(alertRules)
      .set({
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
        ...(input.condition === undefined ? {} : { type: input.condition.type, params: input.condition }),
        ...(input.scope === undefined ? {} : { scope: input.scope }),
        ...(input.severity === undefined ? {} : { severity: input.severity }),
        ...(input.messageTemplate === undefined ? {} : { messageTemplate: input.messageTemplate }),
        updatedAt: ctx.clock.now(),
      })
      .where(eq(alertRules.id, id))
      .returning();
    if (!rule) throw new NotFoundError(`Alert rule ${id} not found`);
    await auditRule(ctx, tx, "alert_rule_updated", rule, before);
    return rule;
  });
  ctx.signals?.emit({ kind: "reload", what: "rules" });
  return rule;
}

/** Deletes a rule (its alerts stay, as history); built-in rules can only be disabled. */
export async function deleteAlertRule(ctx: Context, id: number): Promise<RuleRow> {
  const rule = await getOwnRule(ctx, id);
  if (rule.builtinKey) throw new ConflictError(`Alert rule ${id} is built in: disable it instead`);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(alertRules).where(eq(alertRules.id, id));
    await auditRule(ctx, tx, "alert_rule_deleted", rule);
  });
  ctx.signals?.emit({ kind: "reload", what: "rules" });
  return rule;
}
