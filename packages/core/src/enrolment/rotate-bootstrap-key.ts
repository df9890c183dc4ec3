import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { getSite } from "../sites/get-site.ts";
import type { SiteRow } from "../sites/site.repository.ts";
import { updateSiteRow } from "../sites/update-site.ts";
import { generateSecret } from "./secret.ts";

export interface BootstrapKeyOptions {
  expiresInHours?: number | null | undefined;
  maxUses?: number | null | undefined;
  /** Self-provisioned devices wait in `pending` until approved; omitted, the site's setting stays. */
  requireApproval?: boolean | undefined;
}

/**
 * Generates the site's bootstrap key, replacing any previous one (rotation: the old key stops working at
 * once). The key is returned once, here; only its SHA-256 is stored.
 */
export async function rotateBootstrapKey(
  ctx: Context,
  siteId: string,
  options: BootstrapKeyOptions = {},
): Promise<{ site: SiteRow; bootstrapKey: string }> {
  const before = await getSite(ctx, siteId, { activeOnly: true });
  const key = generateSecret("hpb_");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const site = await updateSiteRow(tx, before, {
      bootstrapKeyHash: key.hash,
      bootstrapKeyPrefix: key.prefix,
      bootstrapKeyCreatedAt: now,
      bootstrapKeyExpiresAt: options.expiresInHours
        ? new Date(now.getTime() + options.expiresInHours * 3600_000)
        : null,
      bootstrapKeyMaxUses: options.maxUses ?? null,
      bootstrapKeyUses: 0,
      ...(options.requireApproval === undefined ? {} : { requireDeviceApproval: options.requireApproval }),
      updatedAt: now,
    });
    await recordAudit(
      ctx,
      {
        eventType: before.bootstrapKeyHash ? "bootstrap_key_rotated" : "bootstrap_key_created",
        description: `Bootstrap key of site ${site.siteId} ${before.bootstrapKeyHash ? "rotated" : "generated"}`,
        siteId: site.id,
        oldValues: { bootstrap_key_prefix: before.bootstrapKeyPrefix },
        newValues: {
          bootstrap_key_prefix: site.bootstrapKeyPrefix,
          expires_at: site.bootstrapKeyExpiresAt?.toISOString() ?? null,
          max_uses: site.bootstrapKeyMaxUses,
          require_device_approval: site.requireDeviceApproval,
        },
      },
      tx,
    );
    return { site, bootstrapKey: key.secret };
  });
}
