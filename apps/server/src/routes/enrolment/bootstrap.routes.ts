import { DeviceParams, DeviceWriteResult } from "@homepot/contracts/devices";
import {
  BootstrapKeyBody,
  BootstrapKeyResult,
  BootstrapProvisionBody,
  BootstrapProvisionResult,
  BootstrapRevokeResult,
  CheckNameBody,
  CheckNameResult,
  DecideDeviceBody,
  VerifyBootstrapBody,
  VerifyBootstrapResult,
} from "@homepot/contracts/enrolment";
import { toInput } from "@homepot/contracts/input";
import { SiteParams } from "@homepot/contracts/sites";
import { presentDevice } from "@homepot/core/devices/present";
import { bootstrapProvisionDevice } from "@homepot/core/enrolment/bootstrap-provision-device";
import { decidePendingDevice, type PendingDecision } from "@homepot/core/enrolment/decide-pending-device";
import { revokeBootstrapKey } from "@homepot/core/enrolment/revoke-bootstrap-key";
import { rotateBootstrapKey } from "@homepot/core/enrolment/rotate-bootstrap-key";
import { checkDeviceName, verifyBootstrapKey } from "@homepot/core/enrolment/verify-bootstrap-key";
import { presentReleaseKey } from "@homepot/core/releases/present";
import { okStatus, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

/** Site bootstrap keys (operators) and self-provisioning with them (devices), and the approval of pending devices. */
export const bootstrapRoutes = featureRoutes(["enrolment"], (app) => [
  route.post(
    "/sites/:site_id/bootstrap-key",
    { auth: "onboard", params: SiteParams, body: BootstrapKeyBody, response: BootstrapKeyResult, status: 201 },
    async ({ ctx, params, body, reply }) => {
      const { site, bootstrapKey } = await rotateBootstrapKey(ctx, params.site_id, toInput(body ?? {}));
      reply.header("cache-control", "no-store");
      return okStatus({
        message: "Bootstrap key generated",
        data: {
          bootstrap_key: bootstrapKey,
          message: "Store this key securely — it will not be shown again",
          bootstrap_key_prefix: site.bootstrapKeyPrefix ?? "",
          expires_at: site.bootstrapKeyExpiresAt?.toISOString() ?? null,
          max_uses: site.bootstrapKeyMaxUses,
          require_device_approval: site.requireDeviceApproval,
        },
      });
    },
  ),

  route.delete(
    "/sites/:site_id/bootstrap-key",
    { auth: "onboard", params: SiteParams, response: BootstrapRevokeResult },
    async ({ ctx, params }) => {
      const { revoked } = await revokeBootstrapKey(ctx, params.site_id);
      return okStatus({ message: revoked ? "Bootstrap key revoked" : "The site had no bootstrap key" });
    },
  ),

  // Device-facing: the bootstrap key is the only credential; attempts are rate-limited per client address.
  route.post(
    "/devices/bootstrap-provision",
    {
      auth: "public",
      config: { rateLimit: { max: 20, timeWindow: "1 minute" } },
      body: BootstrapProvisionBody,
      response: BootstrapProvisionResult,
      status: 201,
    },
    async ({ ctx, body, reply }) => {
      const enrolled = await bootstrapProvisionDevice(ctx, toInput(body));
      app.deviceKeys.forget(enrolled.device.deviceId);
      reply.header("cache-control", "no-store");
      const pending = enrolled.device.lifecycleState === "pending";
      return okStatus({
        message: pending
          ? "Device provisioned; it waits for an operator's approval (its key only registers until then)"
          : "Device provisioned successfully",
        data: {
          device_id: enrolled.device.deviceId,
          api_key: enrolled.apiKey,
          site_id: enrolled.siteId,
          created_at: enrolled.device.createdAt.toISOString(),
          epoch_id: enrolled.epochId,
          lifecycle_state: enrolled.device.lifecycleState,
          release_key: presentReleaseKey(app.releaseStore()),
        },
      });
    },
  ),

  route.post(
    "/devices/verify-bootstrap",
    {
      auth: "public",
      config: { rateLimit: { max: 10, timeWindow: "1 minute" } },
      body: VerifyBootstrapBody,
      response: VerifyBootstrapResult,
    },
    async ({ ctx, body }) =>
      okStatus({ data: { verified: await verifyBootstrapKey(ctx, body.site_id, body.bootstrap_key) } }),
  ),

  route.post(
    "/devices/check-name",
    {
      auth: "public",
      config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      body: CheckNameBody,
      response: CheckNameResult,
    },
    async ({ ctx, body: { site_id, bootstrap_key, device_name } }) =>
      okStatus({ data: { available: await checkDeviceName(ctx, site_id, bootstrap_key, device_name) } }),
  ),

  ...(["approve", "reject"] as const satisfies readonly PendingDecision[]).map((decision) =>
    route.post(
      `/devices/:device_id/${decision}`,
      { auth: "operator", params: DeviceParams, body: DecideDeviceBody, response: DeviceWriteResult },
      async ({ ctx, params, body }) => {
        const id = params.device_id;
        const device = await decidePendingDevice(ctx, id, decision, body?.reason);
        app.deviceKeys.forget(id);
        return okWrite(`Device ${id} ${decision === "approve" ? "approved" : "rejected"}`, presentDevice(device));
      },
    ),
  ),
]);
