import { appState, type Db } from "@homepot/db";
import { eq, sql } from "drizzle-orm";

/** app_state key of the device-key revocation epoch: bumped on every key change, read by each instance. */
export const KEY_EPOCH_STATE = "device_key_epoch";

/** Bumps the epoch, so every server instance drops its cached device keys (call inside the change's transaction). */
export async function bumpKeyEpoch(db: Db): Promise<void> {
  await db.execute(sql`
    insert into ${appState} (key, value, updated_at) values (${KEY_EPOCH_STATE}, '1'::json, now() at time zone 'utc')
    on conflict (key) do update set value = to_json(coalesce((${appState.value}::text)::bigint, 0) + 1), updated_at = now() at time zone 'utc'`);
}

export async function readKeyEpoch(db: Db): Promise<number> {
  const [row] = await db
    .select({ value: appState.value })
    .from(appState)
    .where(eq(appState.key, KEY_EPOCH_STATE))
    .limit(1);
  return typeof row?.value === "number" ? row.value : Number(row?.value ?? 0) || 0;
}
