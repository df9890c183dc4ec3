import { sites } from "@homepot/db";
import { eq, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { insertDevice, type RegisteredDevice } from "../devices/register-device.ts";
import type { EnrollingDevice } from "./enrolling-device.ts";
import { auditingRefusals } from "./refusal.ts";
import { checkBootstrapKey } from "./verify-bootstrap-key.ts";

export interface BootstrapProvisionInput extends EnrollingDevice {
  siteId: string;
  bootstrapKey: string;
  /** physical (real hardware) or emulator (counted as simulated). */
  provisioningSource?: string | null | undefined;
  machineId?: string | null | undefined;
}

/**
 * A device provisions itself with its site's bootstrap key: the device, its key and its first epoch, and one
 * use of the bootstrap key, in one transaction under the site's row lock (so max_uses holds under
 * concurrency). At a site that requires approval the device starts `pending`: its key then only registers.
 */
export async function bootstrapProvisionDevice(
  ctx: Context,
  input: BootstrapProvisionInput,
): Promise<RegisteredDevice & { siteId: string }> {
  return auditingRefusals(ctx, "bootstrap_provision_failed", `Bootstrap provisioning at site ${input.siteId}`, () =>
    ctx.db.transaction(async (tx) => {
      const site = await checkBootstrapKey(tx, input.siteId, input.bootstrapKey, ctx.clock.now(), true);
      await tx
        .update(sites)
        .set({ bootstrapKeyUses: sql`${sites.bootstrapKeyUses} + 1` })
        .where(eq(sites.id, site.id));
      const emulator = input.provisioningSource === "emulator";
      const enrolled = await insertDevice(
        ctx,
        tx,
        site,
        {
          deviceId: input.deviceId,
          name: input.deviceName ?? undefined,
          deviceType: input.deviceType ?? "pos_terminal",
          osDetails: input.osDetails ?? null,
          machineId: input.machineId ?? null,
          isSimulated: emulator,
        },
        {
          method: "bootstrap",
          lifecycleState: site.requireDeviceApproval ? "pending" : "active",
          reason: `provisioned with the site's bootstrap key (${input.provisioningSource ?? "physical"})`,
        },
      );
      return { ...enrolled, siteId: site.siteId };
    }),
  );
}
