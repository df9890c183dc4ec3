import type { UserActivitiesQuery } from "@homepot/contracts/analytics";
import { userActivities as t } from "@homepot/db";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { usernameOf } from "../rows.ts";
import { byTime, listRows, matching } from "./page.ts";
import { presentUserActivity } from "./present.ts";

const spec = {
  ...byTime(t, { platform: true }, presentUserActivity),
  extra: { username: usernameOf("user_activities.user_id") },
  present: (row: typeof t.$inferSelect, { username }: { username: string | null }) =>
    presentUserActivity(row, username),
};

export function listUserActivities(ctx: Context, q: z.output<typeof UserActivitiesQuery>) {
  return listRows(ctx, spec, q, matching(t, q, ["user_id", "activity_type", "session_id", "page_url"]));
}
