import { MessageResult } from "@homepot/contracts";
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
import { DAY_NAMES, type ScheduleInput, type ScheduleRow } from "@homepot/core/schedules/schedule.repository";
import { updateSchedule } from "@homepot/core/schedules/update-schedule";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { z } from "zod";
import { requestContext } from "../../plugins/context.ts";

const tags = ["schedules"];

function toInput(b: z.infer<typeof ScheduleFields>): ScheduleInput {
  return {
    openTime: b.open_time,
    closeTime: b.close_time,
    isClosed: b.is_closed,
    isMaintenanceWindow: b.is_maintenance_window,
    expectedTransactionVolume: b.expected_transaction_volume,
    peakHoursStart: b.peak_hours_start,
    peakHoursEnd: b.peak_hours_end,
    notes: b.notes,
    specialConsiderations: b.special_considerations,
  };
}

/** The answer to a schedule written: what was done to which day, and the row. */
const saved = (row: ScheduleRow, done: string) => ({
  success: true as const,
  message: `${DAY_NAMES[row.dayOfWeek]} schedule ${done}`,
  data: presentSchedule(row),
});

/** Site operating schedules, one row per day of week (0 = Monday), under /api/v1/sites/{site_id}/schedules. */
export const scheduleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/:site_id/schedules",
    { onRequest: app.authorize("viewer"), schema: { tags, params: SiteParams, response: { 200: ScheduleList } } },
    async (request) => {
      const rows = await listSchedules(requestContext(request), request.params.site_id);
      return { success: true as const, count: rows.length, schedules: rows.map(presentSchedule) };
    },
  );

  app.put(
    "/:site_id/schedules",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: SiteParams, body: ReplaceSchedulesBody, response: { 200: ScheduleList } },
    },
    async (request) => {
      const rows = await replaceSchedules(
        requestContext(request),
        request.params.site_id,
        request.body.schedules.map((s) => ({ ...toInput(s), dayOfWeek: s.day_of_week })),
      );
      return { success: true as const, count: rows.length, schedules: rows.map(presentSchedule) };
    },
  );

  app.post(
    "/:site_id/schedules",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: SiteParams, body: CreateScheduleBody, response: { 201: ScheduleResult } },
    },
    async (request, reply) => {
      const row = await createSchedule(
        requestContext(request),
        request.params.site_id,
        request.body.day_of_week,
        toInput(request.body),
      );
      return reply.code(201).send(saved(row, "created"));
    },
  );

  app.get(
    "/:site_id/schedules/:day_of_week",
    {
      onRequest: app.authorize("viewer"),
      schema: { tags, params: ScheduleParams, response: { 200: ScheduleGetResult } },
    },
    async (request) => {
      const row = await getSchedule(requestContext(request), request.params.site_id, request.params.day_of_week);
      return { success: true as const, data: presentSchedule(row) };
    },
  );

  app.put(
    "/:site_id/schedules/:day_of_week",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: ScheduleParams, body: ScheduleFields, response: { 200: ScheduleResult } },
    },
    async (request) => {
      const row = await updateSchedule(
        requestContext(request),
        request.params.site_id,
        request.params.day_of_week,
        toInput(request.body),
      );
      return saved(row, "saved");
    },
  );

  app.delete(
    "/:site_id/schedules/:day_of_week",
    {
      onRequest: app.authorize("operator"),
      schema: { tags, params: ScheduleParams, response: { 200: MessageResult } },
    },
    async (request) => {
      await deleteSchedule(requestContext(request), request.params.site_id, request.params.day_of_week);
      return { success: true as const, message: `${DAY_NAMES[request.params.day_of_week]} schedule deleted` };
    },
  );
};
