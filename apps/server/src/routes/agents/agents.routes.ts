import { AgentList, AgentResult, AgentsQuery, DeviceDnaBody, DeviceDnaResult } from "@homepot/contracts/agents";
import { DeviceParams } from "@homepot/contracts/devices";
import { toInput } from "@homepot/contracts/input";
import { ForbiddenError } from "@homepot/core";
import { getAgent } from "@homepot/core/devices/get-agent";
import { listAgents } from "@homepot/core/devices/list-agents";
import { reportDeviceDna } from "@homepot/core/devices/report-device-dna";
import { okList, okStatus } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

/** What agents report about their device (device DNA), and the original's agent views for operators. */
export const agentRoutes = featureRoutes(["agents"], () => [
  route.post(
    "/agent/device-dna",
    {
      auth: "device",
      // Part of registering: a device waiting for approval may report its DNA.
      config: { allowPendingDevice: true },
      body: DeviceDnaBody,
      response: DeviceDnaResult,
    },
    async ({ ctx, body, request }) => {
      const deviceId = request.device?.deviceId ?? "";
      const { device_id, site_id, device_name, device_type, device_source, device_token, ...facts } = body;
      if (device_id !== undefined && device_id !== deviceId)
        throw new ForbiddenError("device_id in the body is not the device of X-Device-ID");
      const { device, changed } = await reportDeviceDna(ctx, deviceId, toInput(facts));
      return okStatus({
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
      });
    },
  ),

  route.get("/agents", { auth: "inventory", query: AgentsQuery, response: AgentList }, async ({ ctx, query }) => {
    const { total, agents } = await listAgents(ctx, toInput(query));
    return okList("agents", agents, { total });
  }),

  route.get(
    "/agents/:device_id",
    { auth: "inventory", params: DeviceParams, response: AgentResult },
    async ({ ctx, params }) => ({
      success: true as const,
      ...(await getAgent(ctx, params.device_id)),
    }),
  ),
]);
