import { type RegisterDeviceInput, registerDevice } from "@homepot/core/devices/register-device";
import { type CreateSiteInput, createSite } from "@homepot/core/sites/create-site";
import type { TestApp } from "../../testing.ts";

let seq = 0;
const unique = () => `${process.pid.toString(36)}${(++seq).toString(36)}`;

/** A fresh active site (factory for tests). */
export async function makeSite(t: TestApp, overrides: Partial<CreateSiteInput> = {}) {
  return createSite(t.ctx, { siteId: `site-${unique()}`, name: "Test Store", location: "Test Street 1", ...overrides });
}

/**
 * A fresh registered device with its key and the headers a device sends (factory for tests).
 * Creates a site unless `siteId` is given.
 */
export async function makeDevice(t: TestApp, options: { siteId?: string } & Partial<RegisterDeviceInput> = {}) {
  const { siteId: givenSite, ...overrides } = options;
  const siteId = givenSite ?? (await makeSite(t)).siteId;
  const { device, apiKey } = await registerDevice(t.ctx, siteId, {
    deviceId: `pos-${unique()}`,
    name: `Test POS ${unique()}`,
    deviceType: "pos_terminal",
    ...overrides,
  });
  return { device, apiKey, siteId, headers: { "x-device-id": device.deviceId, "x-api-key": apiKey } };
}
