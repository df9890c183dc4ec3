import { eq, sql } from "drizzle-orm";
import type { Database, Db } from "./client.ts";
import { rowsOf } from "./rows.ts";
import { appState } from "./schema/index.ts";

/** Why reads go where they go: the replica serves them only when `ok`. */
export type ReadReplicaState = "ok" | "not_configured" | "down" | "lagging" | "not_standby";

export interface ReadReplicaStatus {
  state: ReadReplicaState;
  /** Seconds the replica is behind the primary (0 when it has replayed everything); null when unknown. */
  lagS: number | null;
  /** Reads sent to the primary because the replica was down or lagging, since start (state changes). */
  fallbacks: number;
  checkedAt: Date | null;
  error?: string;
}

// The primary writes its clock here at every check; the replica's copy says how far behind it is.
const HEARTBEAT_KEY = "db.read_replica.heartbeat";

/**
 * Routes the read-only queries that tolerate a little staleness (analytics lists, rollups, insights, exports, the
 * dashboard's summaries) to a streaming replica (DATABASE_READ_URL) while it is up and at most `maxLagS` behind;
 * otherwise to the primary. Writes, and reads that must see their own write, always use the primary.
 *
 * `check()` (run every few seconds by the server) writes a heartbeat on the primary and reads the replica's copy:
 * the replica is caught up when it has replayed the primary's WAL position; otherwise its lag is the age of the
 * newest heartbeat it has replayed. A replica that has failed since the last check serves errors until the next.
 */
export class ReadRouter {
  private current: ReadReplicaStatus;

  constructor(
    private readonly primary: Database,
    private readonly replica: Database | undefined,
    private readonly maxLagS: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.current = { state: replica ? "down" : "not_configured", lagS: null, fallbacks: 0, checkedAt: null };
  }

  /** The database for lag-tolerant reads now: the replica when healthy, else the primary. */
  get db(): Db {
    return this.current.state === "ok" && this.replica ? this.replica.db : this.primary.db;
  }

  get status(): ReadReplicaStatus {
    return { ...this.current };
  }

  get configured(): boolean {
    return this.replica !== undefined;
  }

  async check(): Promise<ReadReplicaStatus> {
    if (!this.replica) return this.status;
    const at = this.now();
    let next: Pick<ReadReplicaStatus, "state" | "lagS" | "error">;
    try {
      next = await this.measure(this.replica, at);
    } catch (error) {
      next = { state: "down", lagS: null, error: error instanceof Error ? error.message : String(error) };
    }
    const fellBack = this.current.state === "ok" && next.state !== "ok";
    this.current = {
      ...next,
      fallbacks: this.current.fallbacks + (fellBack ? 1 : 0),
      checkedAt: at,
    };
    return this.status;
  }

  private async measure(replica: Database, at: Date): Promise<Pick<ReadReplicaStatus, "state" | "lagS">> {
    const beat = { at: at.toISOString() };
    await this.primary.db
      .insert(appState)
      .values({ key: HEARTBEAT_KEY, value: beat, updatedAt: at })
      .onConflictDoUpdate({ target: appState.key, set: { value: beat, updatedAt: at } });
    const [primary] = rowsOf<{ lsn: string }>(
      await this.primary.db.execute(sql`select pg_current_wal_lsn()::text as lsn`),
    );
    const [standby] = rowsOf<{ standby: boolean; caught_up: boolean | null }>(
      await replica.db.execute(
        sql`select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn() >= ${primary?.lsn}::pg_lsn as caught_up`,
      ),
    );
    if (!standby?.standby) return { state: "not_standby", lagS: null };
    if (standby.caught_up) return { state: "ok", lagS: 0 };
    const [seen] = await replica.db.select().from(appState).where(eq(appState.key, HEARTBEAT_KEY));
    const lastBeat = (seen?.value as { at?: string } | null)?.at;
    if (!lastBeat) return { state: "lagging", lagS: null };
    const lagS = Math.max(0, (at.getTime() - new Date(lastBeat).getTime()) / 1000);
    return { state: lagS <= this.maxLagS ? "ok" : "lagging", lagS };
  }
}
