import { DeviceParams, DeviceWriteResult } from "@homepot/contracts/devices";
import {
  DeviceLifecycleResult,
  LifecycleResult,
  LifecycleTransitionBody,
  ReenrolDeviceBody,
  TransferDeviceBody,
} from "@homepot/contracts/lifecycle";
import { ValidationError } from "@homepot/core";
import { presentDevice } from "@homepot/core/devices/present";
import { archiveDevice } from "@homepot/core/lifecycle/archive-device";
import { getDeviceLifecycle } from "@homepot/core/lifecycle/get-device-lifecycle";
import { presentEpoch, presentLifecycleEvent, presentTransition } from "@homepot/core/lifecycle/present";
import type { TransitionResult } from "@homepot/core/lifecycle/record-transition";
import { reenrolDevice } from "@homepot/core/lifecycle/reenrol-device";
import { restoreDevice } from "@homepot/core/lifecycle/restore-device";
import { resumeDevice } from "@homepot/core/lifecycle/resume-device";
import { suspendDevice } from "@homepot/core/lifecycle/suspend-device";
import { transferDevice } from "@homepot/core/lifecycle/transfer-device";
import { unpairDevice } from "@homepot/core/lifecycle/unpair-device";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["devices"];

/** The body's idempotency_key, else the Idempotency-Key header. */
function idempotencyKey(request: FastifyRequest, body: { idempotency_key?: string | null | undefined }) {
  if (body.idempotency_key) return body.idempotency_key;
  const h = request.headers["idempotency-key"];
  const v = (Array.isArray(h) ? h[0] : h)?.trim();
  if (v && v.length > 100)
    throw new ValidationError("Idempotency-Key must be at most 100 characters", "Idempotency-Key");
  return v || undefined;
}

/**
 * Device lifecycle transitions (operator): suspend, resume, unpair, re-enrol, transfer. Each is served at
 * `/devices/{id}/<action>` and at the original HOMEPOT's `/devices/device/{id}/<action>`.
 */
export const deviceLifecycleRoutes: FastifyPluginAsyncZod = async (app) => {
  const done = (action: string, r: TransitionResult, reply: FastifyReply) => {
    app.deviceKeys.forget(r.device.deviceId);
    if (r.apiKey) reply.header("cache-control", "no-store");
    return presentTransition(action, r);
  };
  const guard = { onRequest: app.authorize("operator") };

  for (const base of ["/:device_id", "/device/:device_id"]) {
    for (const [action, run] of [
      ["suspend", suspendDevice],
      ["resume", resumeDevice],
      ["unpair", unpairDevice],
    ] as const) {
      app.post(
        `${base}/${action}`,
        {
          ...guard,
          schema: { tags, params: DeviceParams, body: LifecycleTransitionBody, response: { 200: LifecycleResult } },
        },
        async (request, reply) => {
          const r = await run(requestContext(request), request.params.device_id, {
            reason: request.body.reason,
            idempotencyKey: idempotencyKey(request, request.body),
          });
          return done(action, r, reply);
        },
      );
    }

    app.post(
      `${base}/reenrol`,
      { ...guard, schema: { tags, params: DeviceParams, body: ReenrolDeviceBody, response: { 200: LifecycleResult } } },
      async (request, reply) => {
        const b = request.body;
        const r = await reenrolDevice(requestContext(request), request.params.device_id, {
          siteId: b.site_id,
          name: b.device_name,
          reason: b.reason,
          idempotencyKey: idempotencyKey(request, b),
        });
        return done("reenrol", r, reply);
      },
    );

    app.post(
      `${base}/transfer`,
      {
        ...guard,
        schema: { tags, params: DeviceParams, body: TransferDeviceBody, response: { 200: LifecycleResult } },
      },
      async (request, reply) => {
        const b = request.body;
        const r = await transferDevice(requestContext(request), request.params.device_id, {
          targetSiteId: b.target_site_id,
          reason: b.reason,
          idempotencyKey: idempotencyKey(request, b),
        });
        return done("transfer", r, reply);
      },
    );
  }

  app.post(
    "/:device_id/archive",
    {
      ...guard,
      schema: { tags, params: DeviceParams, body: LifecycleTransitionBody, response: { 200: DeviceWriteResult } },
    },
    async (request) => {
      const r = await archiveDevice(requestContext(request), request.params.device_id, request.body.reason);
      app.deviceKeys.forget(r.device.deviceId);
      return {
        success: true as const,
        message: r.already
          ? `Device ${r.device.deviceId} is already archived`
          : `Device ${r.device.deviceId} archived (data kept; ${r.device.lifecycleState})`,
        data: presentDevice(r.device),
      };
    },
  );

  app.post(
    "/:device_id/restore",
    { ...guard, schema: { tags, params: DeviceParams, response: { 200: DeviceWriteResult } } },
    async (request) => {
      const r = await restoreDevice(requestContext(request), request.params.device_id);
      app.deviceKeys.forget(r.device.deviceId);
      return {
        success: true as const,
        message: r.already
          ? `Device ${r.device.deviceId} is not archived (nothing to restore)`
          : `Device ${r.device.deviceId} restored; it stays ${r.device.lifecycleState} until resumed`,
        data: presentDevice(r.device),
      };
    },
  );

  app.get(
    "/:device_id/lifecycle",
    {
      onRequest: app.authorize("viewer"),
      schema: { tags, params: DeviceParams, response: { 200: DeviceLifecycleResult } },
    },
    async (request) => {
      const l = await getDeviceLifecycle(requestContext(request), request.params.device_id);
      return {
        success: true as const,
        device_id: l.device.deviceId,
        lifecycle_state: l.device.lifecycleState,
        epochs: l.epochs.map(presentEpoch),
        events: l.events.map(presentLifecycleEvent),
      };
    },
  );
};
