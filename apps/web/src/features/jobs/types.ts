import type {
  JobDetailView as JobDetailSchema,
  JobDeviceView as JobDeviceSchema,
  JobProgress as JobProgressSchema,
  JobView as JobViewSchema,
} from "@homepot/contracts/jobs";
import type { z } from "zod";

export type JobView = z.infer<typeof JobViewSchema>;
export type JobProgress = z.infer<typeof JobProgressSchema>;
export type JobDeviceView = z.infer<typeof JobDeviceSchema>;
export type JobDetail = z.infer<typeof JobDetailSchema>;

export const TERMINAL = new Set(["completed", "failed", "partial", "cancelled"]);
