import { MessageResult } from "@homepot/contracts";
import { toInput } from "@homepot/contracts/input";
import {
  CreateScheduleBody,
  ReplaceSchedulesBody,
  ScheduleFields,
  ScheduleGetResult,
  ScheduleList,
  ScheduleParams,
  ScheduleResult,
} from "@homepot/contracts/schedules";
import { SiteParams } from "@homepot/contracts/sites";
import { createSchedule } from "@homepot/core/schedules/create-schedule";
import { deleteSchedule } from "@homepot/core/schedules/delete-schedule";
import { getSchedule } from "@homepot/core/schedules/get-schedule";
import { listSchedules } from "@homepot/core/schedules/list-schedules";
import { presentSchedule } from "@homepot/core/schedules/present";
import { replaceSchedules } from "@homepot/core/schedules/replace-schedules";
import { DAY_NAMES, type ScheduleRow } from "@homepot/core/schedules/schedule.repository";
import { updateSchedule } from "@homepot/core/schedules/update-schedule";
import { ok, okList, okMessage, okWrite } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

const site = { params: SiteParams } as const;
const day = { params: ScheduleParams } as const;

/** The answer to a schedule written: what was done to which day, and the row. */
const saved = (row: ScheduleRow, done: string) =>
  okWrite(`${DAY_NAMES[row.dayOfWeek]} schedule ${done}`, presentSchedule(row));

/** The answer to a site's whole week, read or replaced. */
const week = (rows: ScheduleRow[]) => okList("schedules", rows.map(presentSchedule));

/** Site operating schedules, one row per day of week (0 = Monday), under /api/v1/sites/{site_id}/schedules. */
export const scheduleRoutes = featureRoutes(["schedules"], () => [
  route.get("/:site_id/schedules", { ...site, auth: "viewer", response: ScheduleList }, async ({ ctx, params }) =>
    week(await listSchedules(ctx, params.site_id)),
  ),

  route.put(
    "/:site_id/schedules",
    { ...site, auth: "operator", body: ReplaceSchedulesBody, response: ScheduleList },
    async ({ ctx, params, body }) => week(await replaceSchedules(ctx, params.site_id, body.schedules.map(toInput))),
  ),

  route.post(
    "/:site_id/schedules",
    { ...site, auth: "operator", body: CreateScheduleBody, response: ScheduleResult, status: 201 },
    async ({ ctx, params, body }) =>
      saved(await createSchedule(ctx, params.site_id, body.day_of_week, toInput(body)), "created"),
  ),

  route.get(
    "/:site_id/schedules/:day_of_week",
    { ...day, auth: "viewer", response: ScheduleGetResult },
    async ({ ctx, params }) => ok(presentSchedule(await getSchedule(ctx, params.site_id, params.day_of_week))),
  ),

  route.put(
    "/:site_id/schedules/:day_of_week",
    { ...day, auth: "operator", body: ScheduleFields, response: ScheduleResult },
    async ({ ctx, params, body }) =>
      saved(await updateSchedule(ctx, params.site_id, params.day_of_week, toInput(body)), "saved"),
  ),

  route.delete(
    "/:site_id/schedules/:day_of_week",
    { ...day, auth: "operator", response: MessageResult },
    async ({ ctx, params }) => {
      await deleteSchedule(ctx, params.site_id, params.day_of_week);
      return okMessage(`${DAY_NAMES[params.day_of_week]} schedule deleted`);
    },
  ),
]);
