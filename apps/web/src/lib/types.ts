/**
 * The API's resource shapes as the dashboard reads them: inferred from the server's own response schemas in
 * packages/contracts (type-only imports, so no schema code reaches the bundle). A field renamed on the server
 * breaks the dashboard's build, not the page.
 */
import type { ConfigChangeSchema, DeviceStateSchema, HealthCheckSchema } from "@homepot/contracts/analytics";
import type { CommandSchema } from "@homepot/contracts/commands";
import type { DeviceSchema } from "@homepot/contracts/devices";
import type { IntentSchema } from "@homepot/contracts/enrolment";
import type { JobDetailView, JobDeviceView, JobView } from "@homepot/contracts/jobs";
import type { ScheduleSchema } from "@homepot/contracts/schedules";
import type { SiteSchema } from "@homepot/contracts/sites";
import type { z } from "zod";

export type Site = z.infer<typeof SiteSchema>;
export type Device = z.infer<typeof DeviceSchema>;
export type DeviceStatus = Device["status"];
export type Schedule = z.infer<typeof ScheduleSchema>;
export type Command = z.infer<typeof CommandSchema>;
export type Job = z.infer<typeof JobView>;
export type JobDetail = z.infer<typeof JobDetailView>;
export type JobDevice = z.infer<typeof JobDeviceView>;
export type HealthCheck = z.infer<typeof HealthCheckSchema>;
export type StateChange = z.infer<typeof DeviceStateSchema>;
export type ConfigChange = z.infer<typeof ConfigChangeSchema>;
export type EnrolmentIntent = z.infer<typeof IntentSchema>;
