import { recordAudit } from "../audit/record-audit.ts";
import type { Context } from "../context.ts";
import { getSite } from "../sites/get-site.ts";
import { updateSiteRow } from "../sites/update-site.ts";

/** Removes the site's bootstrap key: self-provisioning at the site stops until a new key is generated. */
export async function revokeBootstrapKey(ctx: Context, siteId: string): Promise<{ revoked: boolean }> {
  const before = await getSite(ctx, siteId);
  if (!before.bootstrapKeyHash) return { revoked: false };
  return ctx.db.transaction(async (tx) => {
    const site = await updateSiteRow(tx, before, {
      bootstrapKeyHash: null,
      bootstrapKeyPrefix: null,
      bootstrapKeyCreatedAt: null,
      bootstrapKeyExpiresAt: null,
      bootstrapKeyMaxUses: null,
      bootstrapKeyUses: 0,
      updatedAt: ctx.clock.now(),
    });
    await recordAudit(
      ctx,
      {
        eventType: "bootstrap_key_revoked",
        description: `Bootstrap key of site ${site.siteId} revoked`,
        siteId: site.id,
        oldValues: { bootstrap_key_prefix: before.bootstrapKeyPrefix },
        newValues: { bootstrap_key_prefix: null },
      },
      tx,
    );
    return { revoked: true };
  });
}
