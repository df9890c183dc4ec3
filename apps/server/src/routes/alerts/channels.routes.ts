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
import { okList, okMessage, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

const admin = "administer";

/**
 * /api/v1/alerts/channels and /deliveries: notification channels and their delivery log, for admins: platform
 * admins all of them, a tenant's admins their tenant's (the use cases answer 404 for any other).
 */
export const channelRoutes = featureRoutes(["alerts"], (app) => {
  const vault = app.alertVault;
  return [
    route.get("/channels", { auth: admin, response: ChannelList }, async ({ ctx }) => {
      const rows = await listChannels(ctx);
      return okList(
        "channels",
        rows.map((r) => presentChannel(r.channel, vault, r.dead)),
      );
    }),

    route.post(
      "/channels",
      { auth: admin, body: CreateChannelBody, response: ChannelResult, status: 201 },
      async ({ ctx, body }) => {
        const r = await createChannel(ctx, vault, body);
        const data = {
          ...presentChannel(r.channel, vault),
          ...(r.signingSecret ? { signing_secret: r.signingSecret } : {}),
        };
        const message = r.signingSecret
          ? `Channel ${r.channel.id} created; copy its signing secret now, it is not shown again`
          : `Channel ${r.channel.id} created`;
        return okWrite(message, data);
      },
    ),

    route.put(
      "/channels/:id",
      { auth: admin, params: ChannelParams, body: UpdateChannelBody, response: ChannelResult },
      async ({ ctx, params, body }) => {
        const ch = await updateChannel(ctx, vault, params.id, body);
        return okWrite(`Channel ${ch.id} updated`, presentChannel(ch, vault));
      },
    ),

    route.delete(
      "/channels/:id",
      { auth: admin, params: ChannelParams, response: MessageResult },
      async ({ ctx, params }) => {
        const ch = await deleteChannel(ctx, params.id);
        return okMessage(`Channel ${ch.id} deleted`);
      },
    ),

    route.post(
      "/channels/:id/test",
      { auth: admin, params: ChannelParams, response: TestNotificationResult },
      async ({ ctx, params }) => {
        const r = await sendTestNotification(ctx, vault, params.id);
        const message = r.delivered ? "Test notification sent" : `Test notification failed: ${r.error}`;
        return okWrite(message, { delivered: r.delivered, error: r.error });
      },
    ),

    route.get(
      "/deliveries",
      { auth: admin, query: ListDeliveriesQuery, response: DeliveryList },
      async ({ ctx, query }) => {
        const rows = await listDeliveries(ctx, {
          limit: query.limit,
          offset: query.offset,
          ...(query.channel_id ? { channelId: query.channel_id } : {}),
          ...(query.status ? { status: query.status } : {}),
        });
        return okList("deliveries", rows.map(presentDelivery));
      },
    ),

    route.post(
      "/deliveries/:id/retry",
      { auth: admin, params: DeliveryParams, response: DeliveryResult },
      async ({ ctx, params }) => {
        const d = await retryDelivery(ctx, params.id);
        return okWrite(`Delivery ${d.id} queued again`, presentDelivery(d));
      },
    ),
  ];
});
