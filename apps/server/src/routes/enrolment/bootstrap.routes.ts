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
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["enrolment"];

/** Site bootstrap keys (operators) and self-provisioning with them (devices), and the approval of pending devices. */
export const bootstrapRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/sites/:site_id/bootstrap-key",
    {
      onRequest: app.authorize("onboard"),
      schema: { tags, params: SiteParams, body: BootstrapKeyBody, response: { 201: BootstrapKeyResult } },
    },
    async (request, reply) => {
      const { site, bootstrapKey } = await rotateBootstrapKey(
        requestContext(request),
        request.params.site_id,
        toInput(request.body ?? {}),
      );
      reply.header("cache-control", "no-store");
      return reply.code(201).send({
        success: true as const,
        status: "success" as const,
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
  );

  app.delete(
    "/sites/:site_id/bootstrap-key",
    {
      onRequest: app.authorize("onboard"),
      schema: { tags, params: SiteParams, response: { 200: BootstrapRevokeResult } },
    },
    async (request) => {
      const { revoked } = await revokeBootstrapKey(requestContext(request), request.params.site_id);
      return {
        success: true as const,
        status: "success" as const,
        message: revoked ? "Bootstrap key revoked" : "The site had no bootstrap key",
      };
    },
  );

  // Device-facing: the bootstrap key is the only credential; attempts are rate-limited per client address.
  app.post(
    "/devices/bootstrap-provision",
    {
      config: { rateLimit: { max: 20, timeWindow: "1 minute" } },
      schema: { tags, body: BootstrapProvisionBody, response: { 201: BootstrapProvisionResult } },
    },
    async (request, reply) => {
      const enrolled = await bootstrapProvisionDevice(requestContext(request), toInput(request.body));
      app.deviceKeys.forget(enrolled.device.deviceId);
      reply.header("cache-control", "no-store");
      const pending = enrolled.device.lifecycleState === "pending";
      return reply.code(201).send({
        success: true as const,
        status: "success" as const,
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
  );

  app.post(
    "/devices/verify-bootstrap",
    {
      config: { rateLimit: { max: 10, timeWindow: "1 minute" } },
      schema: { tags, body: VerifyBootstrapBody, response: { 200: VerifyBootstrapResult } },
    },
    async (request) => {
      const verified = await verifyBootstrapKey(
        requestContext(request),
        request.body.site_id,
        request.body.bootstrap_key,
      );
      return { success: true as const, status: "success" as const, data: { verified } };
    },
  );

  app.post(
    "/devices/check-name",
    {
      config: { rateLimit: { max: 30, timeWindow: "1 minute" } },
      schema: { tags, body: CheckNameBody, response: { 200: CheckNameResult } },
    },
    async (request) => {
      const { site_id, bootstrap_key, device_name } = request.body;
      const available = await checkDeviceName(requestContext(request), site_id, bootstrap_key, device_name);
      return { success: true as const, status: "success" as const, data: { available } };
    },
  );

  for (const decision of ["approve", "reject"] as const satisfies readonly PendingDecision[]) {
    app.post(
      `/devices/:device_id/${decision}`,
      {
        onRequest: app.authorize("operator"),
        schema: { tags, params: DeviceParams, body: DecideDeviceBody, response: { 200: DeviceWriteResult } },
      },
      async (request) => {
        const id = request.params.device_id;
        const device = await decidePendingDevice(requestContext(request), id, decision, request.body?.reason);
        app.deviceKeys.forget(id);
        return {
          success: true as const,
          message: `Device ${id} ${decision === "approve" ? "approved" : "rejected"}`,
          data: presentDevice(device),
        };
      },
    );
  }
};
