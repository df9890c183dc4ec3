import { MessageResult } from "@homepot/contracts";
import {
  ChannelList,
  ChannelParams,
  ChannelResult,
  CreateChannelBody,
  DeliveryList,
  DeliveryParams,
  DeliveryResult,
  ListDeliveriesQuery,
  TestNotificationResult,
  UpdateChannelBody,
} from "@homepot/contracts/notifications";
import { sendTestNotification } from "@homepot/core/notifications/deliver-notifications";
import { createChannel, deleteChannel, listChannels, updateChannel } from "@homepot/core/notifications/manage-channels";
import { presentChannel, presentDelivery } from "@homepot/core/notifications/present";
import { listDeliveries, retryDelivery } from "@homepot/core/notifications/retry-delivery";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["alerts"];

/**
 * /api/v1/alerts/channels and /deliveries: notification channels and their delivery log, for admins: platform
 * admins all of them, a tenant's admins their tenant's (the use cases answer 404 for any other).
 */
export const channelRoutes: FastifyPluginAsyncZod = async (app) => {
  const admin = app.authorize("administer");
  const vault = app.alertVault;

  app.get("/channels", { onRequest: admin, schema: { tags, response: { 200: ChannelList } } }, async (request) => {
    const rows = await listChannels(requestContext(request));
    const channels = rows.map((r) => presentChannel(r.channel, vault, r.dead));
    return { success: true as const, count: channels.length, channels };
  });

  app.post(
    "/channels",
    { onRequest: admin, schema: { tags, body: CreateChannelBody, response: { 201: ChannelResult } } },
    async (request, reply) => {
      const r = await createChannel(requestContext(request), vault, request.body);
      const data = {
        ...presentChannel(r.channel, vault),
        ...(r.signingSecret ? { signing_secret: r.signingSecret } : {}),
      };
      const message = r.signingSecret
        ? `Channel ${r.channel.id} created; copy its signing secret now, it is not shown again`
        : `Channel ${r.channel.id} created`;
      return reply.code(201).send({ success: true as const, message, data });
    },
  );

  app.put(
    "/channels/:id",
    {
      onRequest: admin,
      schema: { tags, params: ChannelParams, body: UpdateChannelBody, response: { 200: ChannelResult } },
    },
    async (request) => {
      const ch = await updateChannel(requestContext(request), vault, request.params.id, request.body);
      return { success: true as const, message: `Channel ${ch.id} updated`, data: presentChannel(ch, vault) };
    },
  );

  app.delete(
    "/channels/:id",
    { onRequest: admin, schema: { tags, params: ChannelParams, response: { 200: MessageResult } } },
    async (request) => {
      const ch = await deleteChannel(requestContext(request), request.params.id);
      return { success: true as const, message: `Channel ${ch.id} deleted` };
    },
  );

  app.post(
    "/channels/:id/test",
    { onRequest: admin, schema: { tags, params: ChannelParams, response: { 200: TestNotificationResult } } },
    async (request) => {
      const r = await sendTestNotification(requestContext(request), vault, request.params.id);
      const message = r.delivered ? "Test notification sent" : `Test notification failed: ${r.error}`;
      return { success: true as const, message, data: { delivered: r.delivered, error: r.error } };
    },
  );

  app.get(
    "/deliveries",
    { onRequest: admin, schema: { tags, querystring: ListDeliveriesQuery, response: { 200: DeliveryList } } },
    async (request) => {
      const q = request.query;
      const rows = await listDeliveries(requestContext(request), {
        limit: q.limit,
        offset: q.offset,
        ...(q.channel_id ? { channelId: q.channel_id } : {}),
        ...(q.status ? { status: q.status } : {}),
      });
      return { success: true as const, count: rows.length, deliveries: rows.map(presentDelivery) };
    },
  );

  app.post(
    "/deliveries/:id/retry",
    { onRequest: admin, schema: { tags, params: DeliveryParams, response: { 200: DeliveryResult } } },
    async (request) => {
      const d = await retryDelivery(requestContext(request), request.params.id);
      return { success: true as const, message: `Delivery ${d.id} queued again`, data: presentDelivery(d) };
    },
  );
};
