/**
 * Names for the API's resources that components pass around, inferred from the server's own schemas in
 * packages/contracts (type-only imports, so no schema code reaches the bundle). Fetches need none of these:
 * `useEndpoint`/`call` answer each route's own response type.
 */
import type { DeviceSchema } from "@homepot/contracts/devices";
import type { IntentSchema } from "@homepot/contracts/enrolment";
import type { ScheduleSchema } from "@homepot/contracts/schedules";
import type { SiteSchema } from "@homepot/contracts/sites";
import type { z } from "zod";

export type Site = z.infer<typeof SiteSchema>;
export type Device = z.infer<typeof DeviceSchema>;
export type Schedule = z.infer<typeof ScheduleSchema>;
export type EnrolmentIntent = z.infer<typeof IntentSchema>;
