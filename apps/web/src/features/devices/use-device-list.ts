import { type EndpointInput, useEndpoint } from "../../lib/use-api.ts";

/** The device page's lists: each takes the device's id in its path and how many of the newest rows to send. */
type DeviceList =
  | "GET /devices/{device_id}/health-checks"
  | "GET /devices/{device_id}/state-history"
  | "GET /devices/{device_id}/config-history"
  | "GET /devices/{device_id}/audit-logs"
  | "GET /devices/{device_id}/device-jobs"
  | "GET /devices/{device_id}/commands"
  | "GET /devices/device/{device_id}/push-logs";

/** The newest `limit` rows of one of a device's lists, refetched every `pollMs` while the page is shown. */
export function useDeviceList<K extends DeviceList>(endpoint: K, deviceId: string, limit: number, pollMs: number) {
  // Checked against the lists' inputs, but TypeScript cannot narrow it to the generic `K`: hence the cast.
  const input = { params: { device_id: deviceId }, query: { limit } } satisfies EndpointInput<DeviceList>;
  return useEndpoint(endpoint, input as unknown as EndpointInput<K>, { pollMs });
}
