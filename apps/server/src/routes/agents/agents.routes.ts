import { AgentList, AgentResult, AgentsQuery, DeviceDnaBody, DeviceDnaResult } from "@homepot/contracts/agents";
import { DeviceParams } from "@homepot/contracts/devices";
import { toInput } from "@homepot/contracts/input";
import { ForbiddenError } from "@homepot/core";
import { getAgent } from "@homepot/core/devices/get-agent";
import { listAgents } from "@homepot/core/devices/list-agents";
import { reportDeviceDna } from "@homepot/core/devices/report-device-dna";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["agents"];

/** What agents report about their device (device DNA), and the original's agent views for operators. */
export const agentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/agent/device-dna",
    {
      onRequest: app.authenticateDevice,
      // Part of registering: a device waiting for approval may report its DNA.
      config: { allowPendingDevice: true },
      schema: { tags, body: DeviceDnaBody, response: { 200: DeviceDnaResult } },
    },
    async (request) => {
      const deviceId = request.device?.deviceId ?? "";
      const { device_id, site_id, device_name, device_type, device_source, device_token, ...facts } = request.body;
      if (device_id !== undefined && device_id !== deviceId)
        throw new ForbiddenError("device_id in the body is not the device of X-Device-ID");
      const { device, changed } = await reportDeviceDna(requestContext(request), deviceId, toInput(facts));
      return {
        success: true as const,
        status: "success" as const,
        message: changed.length ? "Device DNA updated" : "Device DNA unchanged",
        data: {
          device_id: device.deviceId,
          site_id: device.siteId,
          lifecycle_state: device.lifecycleState,
          mac_address: device.macAddress,
          os_details: device.osDetails,
          os_family: device.osFamily,
          local_ip: device.localIp,
          wan_ip: device.wanIp,
          peripherals: device.peripherals ?? null,
          created: false as const,
          changed,
        },
      };
    },
  );

  app.get(
    "/agents",
    { onRequest: app.authorize("inventory"), schema: { tags, querystring: AgentsQuery, response: { 200: AgentList } } },
    async (request) => {
      const { total, agents } = await listAgents(requestContext(request), toInput(request.query));
      return { success: true as const, count: agents.length, total, agents };
    },
  );

  app.get(
    "/agents/:device_id",
    { onRequest: app.authorize("inventory"), schema: { tags, params: DeviceParams, response: { 200: AgentResult } } },
    async (request) => ({
      success: true as const,
      ...(await getAgent(requestContext(request), request.params.device_id)),
    }),
  );
};
