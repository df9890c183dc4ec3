import type { ConfigHistoryQuery } from "@homepot/contracts/analytics";
import { configurationHistory as t } from "@homepot/db";
import type { z } from "zod";
import type { Context } from "../context.ts";
import { byTime, equalities, listRows, matching } from "./page.ts";
import { presentConfigChange } from "./present.ts";

const spec = byTime(t, { entity: { type: t.entityType, id: t.entityId } }, presentConfigChange);

/** Configuration changes; `device_id` is shorthand for entity_type=device&entity_id=…. */
export function listConfigHistory(ctx: Context, q: z.output<typeof ConfigHistoryQuery>) {
  const fields = [
    "parameter_name",
    "change_type",
    "changed_by",
    "job_id",
    "was_successful",
    "was_rolled_back",
  ] as const;
  return listRows(ctx, spec, q, [
    ...equalities([
      [t.entityType, q.device_id ? "device" : q.entity_type],
      [t.entityId, q.device_id ?? q.entity_id],
    ]),
    ...matching(t, q, fields),
  ]);
}
