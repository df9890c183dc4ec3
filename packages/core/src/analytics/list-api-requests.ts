import type { ApiRequestsQuery } from "@homepot/contracts/analytics";
import { apiRequestLogs as t } from "@homepot/db";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { usernameOf } from "../rows.ts";
import { byTime, listRows, matching, when } from "./page.ts";
import { presentApiRequest } from "./present.ts";

const spec = {
  ...byTime(t, { platform: true }, presentApiRequest),
  extra: { username: usernameOf("api_request_logs.user_id") },
  present: (row: typeof t.$inferSelect, { username }: { username: string | null }) => presentApiRequest(row, username),
};

export function listApiRequests(ctx: Context, q: z.output<typeof ApiRequestsQuery>) {
  return listRows(ctx, spec, q, [
    ...matching(t, q, ["endpoint", "route", "method", "status_code", "user_id", "device_id"]),
    ...when(q.errors_only, () => sql`${t.statusCode} >= 400`),
  ]);
}
