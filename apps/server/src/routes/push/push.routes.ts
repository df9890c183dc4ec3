import { MessageResult } from "@homepot/contracts";
import * as c from "@homepot/contracts/push";
import { claimPendingPushes } from "@homepot/core/push/claim-pending-pushes";
import { listPushLogs } from "@homepot/core/push/list-push-logs";
import { recordPushAck } from "@homepot/core/push/record-push-ack";
import { sendPush } from "@homepot/core/push/send-push";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["push"];

/** Push notifications with delivery tracking (the original's routes): send, pick up once, acknowledge, history. */
export const pushRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/agents/:device_id/push",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: c.PushDeviceParams, body: c.SendPushBody, response: { 200: c.SendPushResponse } },
    },
    async (request) => {
      const { title, body, data, ttl } = request.body;
      const row = await sendPush(requestContext(request), {
        deviceId: request.params.device_id,
        title,
        body,
        data,
        ttlS: ttl,
      });
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
  );

  app.get(
    "/push/pending",
    { onRequest: app.authenticateDevice, schema: { tags, response: { 200: c.PendingPushResponse } } },
    async (request) => {
      const ctx = requestContext(request);
      const deviceId = ctx.actor.kind === "device" ? ctx.actor.deviceId : "";
      const rows = await claimPendingPushes(ctx, deviceId);
      return {
        success: true as const,
        count: rows.length,
        notifications: rows.map((r) => ({
          message_id: r.messageId,
          title: r.title,
          body: r.body,
          data: r.data ?? {},
          sent_at: r.sentAt.toISOString(),
          expires_at: r.expiresAt.toISOString(),
        })),
      };
    },
  );

  // The device's key; the original's tools send an operator's token instead (then audited as that user's ack).
  app.post(
    "/push/ack",
    {
      onRequest: app.authenticateDeviceOr("operator"),
      schema: { tags, body: c.PushAckBody, response: { 200: MessageResult } },
    },
    async (request) => {
      const { matched, kind } = await recordPushAck(requestContext(request), request.body);
      return {
        success: true as const,
        message: !matched
          ? "Acknowledgement recorded"
          : kind === "push"
            ? "Push delivery recorded"
            : "Push acknowledged",
      };
    },
  );

  app.get(
    "/devices/device/:device_id/push-logs",
    {
      onRequest: app.authorize("viewer"),
      schema: { tags, params: c.PushDeviceParams, querystring: c.PushLogsQuery, response: { 200: c.PushLogsResponse } },
    },
    async (request) => {
      const { rows, total } = await listPushLogs(requestContext(request), request.params.device_id, request.query);
      return { success: true as const, count: rows.length, total, push_logs: rows };
    },
  );
};
