import { AgentAlertBody, AgentAlertResponse } from "@homepot/contracts/alerts";
import { raiseDeviceAlert } from "@homepot/core/alerts/raise-device-alert";
import { featureRoutes, route } from "../route.ts";

/** POST /api/v1/agent/alert: a device raises an alert itself (the original HOMEPOT's route and shapes). */
export const agentAlertRoutes = featureRoutes(["agent"], () => [
  route.post(
    "/alert",
    { auth: "device", body: AgentAlertBody, response: AgentAlertResponse },
    async ({ ctx, body, request }) => {
      const device = request.device;
      if (!device) throw new Error("authenticateDevice guarantees a device");
      await raiseDeviceAlert(ctx, device, body);
      return { status: "success" as const, message: "Alert stored" };
    },
  ),
]);
