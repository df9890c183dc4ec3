import { MessageResult } from "@homepot/contracts";
import * as c from "@homepot/contracts/push";
import { claimPendingPushes } from "@homepot/core/push/claim-pending-pushes";
import { listPushLogs } from "@homepot/core/push/list-push-logs";
import { recordPushAck } from "@homepot/core/push/record-push-ack";
import { sendPush } from "@homepot/core/push/send-push";
import { okList, okMessage } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

/** Push notifications with delivery tracking (the original's routes): send, pick up once, acknowledge, history. */
export const pushRoutes = featureRoutes(["push"], () => [
  route.post(
    "/agents/:device_id/push",
    { auth: "operator", params: c.PushDeviceParams, body: c.SendPushBody, response: c.SendPushResponse },
    async ({ ctx, params, body: b }) => {
      const { title, body, data, ttl } = b;
      const row = await sendPush(ctx, { deviceId: params.device_id, title, body, data, ttlS: ttl });
      return {
        success: true as const,
        message: `Push notification sent to ${row.deviceId}`,
        device_id: row.deviceId,
        message_id: row.messageId,
        response: {
          status: "success" as const,
          message: "Notification accepted for device agent",
          expires_at: row.expiresAt.toISOString(),
        },
      };
    },
  ),

  route.get("/push/pending", { auth: "device", response: c.PendingPushResponse }, async ({ ctx }) => {
    const deviceId = ctx.actor.kind === "device" ? ctx.actor.deviceId : "";
    const rows = await claimPendingPushes(ctx, deviceId);
    return okList(
      "notifications",
      rows.map((r) => ({
        message_id: r.messageId,
        title: r.title,
        body: r.body,
        data: r.data ?? {},
        sent_at: r.sentAt.toISOString(),
        expires_at: r.expiresAt.toISOString(),
      })),
    );
  }),

  // The device's key; the original's tools send an operator's token instead (then audited as that user's ack).
  route.post(
    "/push/ack",
    { auth: { deviceOr: "operator" }, body: c.PushAckBody, response: MessageResult },
    async ({ ctx, body }) => {
      const { matched, kind } = await recordPushAck(ctx, body);
      return okMessage(
        !matched ? "Acknowledgement recorded" : kind === "push" ? "Push delivery recorded" : "Push acknowledged",
      );
    },
  ),

  route.get(
    "/devices/device/:device_id/push-logs",
    { auth: "viewer", params: c.PushDeviceParams, query: c.PushLogsQuery, response: c.PushLogsResponse },
    async ({ ctx, params, query }) => {
      const { rows, total } = await listPushLogs(ctx, params.device_id, query);
      return okList("push_logs", rows, { total });
    },
  ),
]);
