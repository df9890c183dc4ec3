import { randomBytes } from "node:crypto";
import type { CreateChannelBody, UpdateChannelBody } from "@homepot/contracts/notifications";
import { notificationChannels } from "@homepot/db";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import { authoredNow, type Context } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { insertOne } from "../rows.ts";
import { authorizeOwner, checkNamesInTenant, chooseOwnerTenant, tenantsWith } from "../tenants/owned-objects.ts";
import { type ChannelRow, countDeadByChannel, findChannel, listChannelRows } from "./channel.repository.ts";
import type { SecretVault } from "./vault.ts";

type CreateInput = z.infer<typeof CreateChannelBody>;
type UpdateInput = z.infer<typeof UpdateChannelBody>;

/** What each type needs before it can send (named fields for the 422). */
function checkComplete(type: string, settings: Record<string, unknown>, secrets: Record<string, string>): void {
  if (["webhook", "slack", "teams"].includes(type) && !secrets.url)
    throw new ValidationError("secrets.url: required for a webhook channel", "secrets.url");
  if (type === "email") {
    for (const key of ["to", "from", "smtp_host"])
      if (settings[key] === undefined)
        throw new ValidationError(`settings.${key}: required for email`, `settings.${key}`);
  }
  if (type === "mqtt" && settings.topic === undefined)
    throw new ValidationError("settings.topic: required for mqtt", "settings.topic");
}

function routing(input: Partial<CreateInput>) {
  return {
    ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
    ...(input.min_severity === undefined ? {} : { minSeverity: input.min_severity }),
    ...(input.site_ids === undefined ? {} : { siteIds: input.site_ids }),
    ...(input.quiet_hours === undefined
      ? {}
      : { quietStart: input.quiet_hours?.start ?? null, quietEnd: input.quiet_hours?.end ?? null }),
    ...(input.timezone === undefined ? {} : { timezone: input.timezone }),
    ...(input.digest_minutes === undefined ? {} : { digestMinutes: input.digest_minutes }),
    ...(input.escalate_after_minutes === undefined ? {} : { escalateAfterMinutes: input.escalate_after_minutes }),
    ...(input.max_attempts === undefined ? {} : { maxAttempts: input.max_attempts }),
  };
}

async function audit(ctx: Context, tx: Context["db"], eventType: string, ch: ChannelRow) {
  // Secrets never reach the audit log: only which ones are set.
  await recordAudit(
    ctx,
    {
      eventType,
      description: `Notification channel ${ch.id} (${ch.name}, ${ch.type}) ${eventType.replace("notification_channel_", "")}`,
      newValues: {
        name: ch.name,
        tenant_id: ch.tenantId,
        type: ch.type,
        enabled: ch.enabled,
        settings: ch.settings,
        min_severity: ch.minSeverity,
        site_ids: ch.siteIds,
        timezone: ch.timezone,
      },
      metadata: { channel_id: ch.id, tenant_id: ch.tenantId },
    },
    tx,
  );
}

/**
 * Channels are seen by who administers them: platform admins all, a tenant's admins that tenant's (platform-wide
 * channels stay the platform's). Returns the test, or undefined when every channel is seen.
 */
export function channelsSeen(ctx: Context): ((ch: ChannelRow) => boolean) | undefined {
  const tenants = tenantsWith(ctx, "administer");
  return tenants && ((ch) => ch.tenantId !== null && tenants.has(ch.tenantId));
}

export async function listChannels(ctx: Context): Promise<{ channel: ChannelRow; dead: number }[]> {
  const [rows, dead] = await Promise.all([listChannelRows(ctx.db), countDeadByChannel(ctx.db)]);
  const seen = channelsSeen(ctx);
  return rows.filter((ch) => !seen || seen(ch)).map((channel) => ({ channel, dead: dead.get(channel.id) ?? 0 }));
}

/** A channel the caller administers; any other answers 404, like one that does not exist. */
export async function getChannel(ctx: Context, id: number): Promise<ChannelRow> {
  const ch = await findChannel(ctx.db, id);
  const seen = channelsSeen(ctx);
  if (!ch || (seen && !seen(ch))) throw new NotFoundError(`Notification channel ${id} not found`);
  await authorizeOwner(ctx, ch.tenantId);
  return ch;
}

/** A tenant's channel routes only that tenant's sites. */
const checkSites = (ctx: Context, tenantId: number | null, siteIds: readonly string[] | undefined) =>
  checkNamesInTenant(ctx, tenantId, { siteIds: siteIds ?? [] }, { sites: "site_ids" });

/**
 * Creates a channel; its secrets are sealed at rest and never shown again. A webhook without a signing secret gets a
 * generated one, returned here once.
 */
export async function createChannel(
  ctx: Context,
  vault: SecretVault,
  input: CreateInput,
): Promise<{ channel: ChannelRow; signingSecret?: string }> {
  const secrets: Record<string, string> = Object.fromEntries(
    Object.entries(input.secrets).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  let signingSecret: string | undefined;
  if (input.type === "webhook" && !secrets.signing_secret) {
    signingSecret = randomBytes(32).toString("base64url");
    secrets.signing_secret = signingSecret;
  }
  checkComplete(input.type, input.settings, secrets);
  const tenantId = await chooseOwnerTenant(ctx, input.tenant_id);
  await checkSites(ctx, tenantId, input.site_ids);
  const channel = await ctx.db.transaction(async (tx) => {
    const row = await insertOne(tx, notificationChannels, {
      name: input.name,
      tenantId,
      type: input.type,
      settings: input.settings,
      secret: Object.keys(secrets).length ? vault.seal(secrets) : null,
      ...routing(input),
      ...authoredNow(ctx),
    });
    await audit(ctx, tx, "notification_channel_created", row);
    return row;
  });
  return { channel, ...(signingSecret ? { signingSecret } : {}) };
}

/** Changes a channel; secrets given replace those of the same name, the others are kept. */
export async function updateChannel(
  ctx: Context,
  vault: SecretVault,
  id: number,
  input: UpdateInput,
): Promise<ChannelRow> {
  const before = await getChannel(ctx, id);
  await checkSites(ctx, before.tenantId, input.site_ids);
  const kept = before.secret ? vault.open(before.secret) : {};
  const secrets: Record<string, string> = { ...kept };
  for (const [k, v] of Object.entries(input.secrets ?? {})) if (typeof v === "string") secrets[k] = v;
  const settings = input.settings ?? (before.settings as Record<string, unknown>);
  checkComplete(before.type, settings, secrets);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(notificationChannels)
      .set({
        ...(input.name === undefined ? {} : { name: input.name }),
        settings,
        secret: Object.keys(secrets).length ? vault.seal(secrets) : null,
        ...routing(input),
        updatedAt: ctx.clock.now(),
      })
      .where(eq(notificationChannels.id, id))
      .returning();
    if (!row) throw new NotFoundError(`Notification channel ${id} not found`);
    await audit(ctx, tx, "notification_channel_updated", row);
    return row;
  });
}

export async function deleteChannel(ctx: Context, id: number): Promise<ChannelRow> {
  const ch = await getChannel(ctx, id);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(notificationChannels).where(eq(notificationChannels.id, id));
    await audit(ctx, tx, "notification_channel_deleted", ch);
  });
  return ch;
}
