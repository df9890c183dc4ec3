import { AgentAlertBody, AgentAlertResponse } from "@homepot/contracts/alerts";
import { raiseDeviceAlert } from "@homepot/core/alerts/raise-device-alert";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

/** POST /api/v1/agent/alert: a device raises an alert itself (the original HOMEPOT's route and shapes). */
export const agentAlertRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/alert",
    {
      onRequest: app.authenticateDevice,
      schema: { tags: ["agent"], body: AgentAlertBody, response: { 200: AgentAlertResponse } },
    },
    async (request) => {
      const device = request.device;
      if (!device) throw new Error("authenticateDevice guarantees a device");
      await raiseDeviceAlert(requestContext(request), device, request.body);
      return { status: "success" as const, message: "Alert stored" };
    },
  );
};
