import type { PageQuery } from "@homepot/contracts/analytics";
import { configurationHistory as t } from "@homepot/db";
import type { Context } from "../context.ts";
import { equalities, listRows, newestFirst } from "./page.ts";
import { presentConfigChange } from "./present.ts";

export interface ConfigHistoryFilters extends PageQuery {
  entity_type?: string | undefined;
  entity_id?: string | undefined;
  device_id?: string | undefined;
  parameter_name?: string | undefined;
  change_type?: string | undefined;
  changed_by?: string | undefined;
  job_id?: string | undefined;
  was_successful?: boolean | undefined;
  was_rolled_back?: boolean | undefined;
}

const spec = {
  table: t,
  keyset: newestFirst(t.timestamp, t.id),
  window: t.timestamp,
  present: presentConfigChange,
};

export function listConfigHistory(ctx: Context, q: ConfigHistoryFilters) {
  return listRows(
    ctx,
    spec,
    q,
    equalities([
      [t.entityType, q.device_id ? "device" : q.entity_type],
      [t.entityId, q.device_id ?? q.entity_id],
      [t.parameterName, q.parameter_name],
      [t.changeType, q.change_type],
      [t.changedBy, q.changed_by],
      [t.jobId, q.job_id],
      [t.wasSuccessful, q.was_successful],
      [t.wasRolledBack, q.was_rolled_back],
    ]),
  );
}
