import { DeviceParams, DeviceWriteResult } from "@homepot/contracts/devices";
import {
  DeviceLifecycleResult,
  LifecycleResult,
  LifecycleTransitionBody,
  ReenrolDeviceBody,
  TransferDeviceBody,
} from "@homepot/contracts/lifecycle";
import { type Context, ValidationError } from "@homepot/core";
import type { DeviceRow } from "@homepot/core/devices/device.repository";
import { presentDevice } from "@homepot/core/devices/present";
import { archiveDevice } from "@homepot/core/lifecycle/archive-device";
import { getDeviceLifecycle } from "@homepot/core/lifecycle/get-device-lifecycle";
import { presentEpoch, presentLifecycleEvent, presentTransition } from "@homepot/core/lifecycle/present";
import type { TransitionInput, TransitionResult } from "@homepot/core/lifecycle/record-transition";
import { reenrolDevice } from "@homepot/core/lifecycle/reenrol-device";
import { restoreDevice } from "@homepot/core/lifecycle/restore-device";
import { resumeDevice } from "@homepot/core/lifecycle/resume-device";
import { suspendDevice } from "@homepot/core/lifecycle/suspend-device";
import { transferDevice } from "@homepot/core/lifecycle/transfer-device";
import { unpairDevice } from "@homepot/core/lifecycle/unpair-device";
import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import { okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

const transition = { auth: "operator", params: DeviceParams, response: LifecycleResult } as const;

/** The body every transition takes (suspend, resume and unpair take only this). */
interface TransitionBody {
  reason?: string | null | undefined;
  idempotency_key?: string | null | undefined;
}

/** The body's idempotency_key, else the Idempotency-Key header. */
function idempotencyKey(request: FastifyRequest, body: TransitionBody) {
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
export const deviceLifecycleRoutes = featureRoutes(["devices"], (app) => {
  /** POST `<base>/<action>`: runs the transition on the device with the request's reason and idempotency key. */
  const post = <B extends z.ZodType<TransitionBody>>(
    base: string,
    action: string,
    body: B,
    run: (ctx: Context, deviceId: string, b: z.output<B>, input: TransitionInput) => Promise<TransitionResult>,
  ) =>
    route.post(`${base}/${action}`, { ...transition, body }, async ({ ctx, params, body: b, request, reply }) => {
      const r = await run(ctx, params.device_id, b, { reason: b.reason, idempotencyKey: idempotencyKey(request, b) });
      app.deviceKeys.forget(r.device.deviceId);
      if (r.apiKey) reply.header("cache-control", "no-store");
      return presentTransition(action, r);
    });
  /** Archive and restore answer the device as it now is. */
  const archived = (r: { already: boolean; device: DeviceRow }, already: string, changed: string) => {
    app.deviceKeys.forget(r.device.deviceId);
    return okWrite(`Device ${r.device.deviceId} ${r.already ? already : changed}`, presentDevice(r.device));
  };

  return [
    ...["/:device_id", "/device/:device_id"].flatMap((base) => [
      ...(
        [
          ["suspend", suspendDevice],
          ["resume", resumeDevice],
          ["unpair", unpairDevice],
        ] as const
      ).map(([action, run]) =>
        post(base, action, LifecycleTransitionBody, (ctx, id, _b, input) => run(ctx, id, input)),
      ),
      post(base, "reenrol", ReenrolDeviceBody, (ctx, id, b, input) =>
        reenrolDevice(ctx, id, { ...input, siteId: b.site_id, name: b.device_name }),
      ),
      post(base, "transfer", TransferDeviceBody, (ctx, id, b, input) =>
        transferDevice(ctx, id, { ...input, targetSiteId: b.target_site_id }),
      ),
    ]),

    route.post(
      "/:device_id/archive",
      { auth: "operator", params: DeviceParams, body: LifecycleTransitionBody, response: DeviceWriteResult },
      async ({ ctx, params, body }) => {
        const r = await archiveDevice(ctx, params.device_id, body.reason);
        return archived(r, "is already archived", `archived (data kept; ${r.device.lifecycleState})`);
      },
    ),

    route.post(
      "/:device_id/restore",
      { auth: "operator", params: DeviceParams, response: DeviceWriteResult },
      async ({ ctx, params }) => {
        const r = await restoreDevice(ctx, params.device_id);
        return archived(
          r,
          "is not archived (nothing to restore)",
          `restored; it stays ${r.device.lifecycleState} until resumed`,
        );
      },
    ),

    route.get(
      "/:device_id/lifecycle",
      { auth: "viewer", params: DeviceParams, response: DeviceLifecycleResult },
      async ({ ctx, params }) => {
        const l = await getDeviceLifecycle(ctx, params.device_id);
        return {
          success: true as const,
          device_id: l.device.deviceId,
          lifecycle_state: l.device.lifecycleState,
          epochs: l.epochs.map(presentEpoch),
          events: l.events.map(presentLifecycleEvent),
        };
      },
    ),
  ];
});
