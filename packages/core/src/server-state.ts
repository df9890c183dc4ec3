import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { type Config, serverStateFile } from "./config.ts";

/** What a running server records in its data dir's server.json, for the CLI and for psql users. */
export interface ServerState {
  pid: number;
  http: string;
  pgPort: number | null;
  startedAt: string;
}

/** The state file of a live server using this data dir, or undefined (a stale file is ignored). */
export function readLiveServerState(config: Pick<Config, "dataDir">): ServerState | undefined {
  const file = serverStateFile(config);
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as ServerState;
    process.kill(state.pid, 0);
    return state;
  } catch {
    return undefined;
  }
}

/** Written 0600: the data dir is the server user's alone. */
export function writeServerState(config: Pick<Config, "dataDir">, state: ServerState): void {
  writeFileSync(serverStateFile(config), JSON.stringify(state, null, 2), { mode: 0o600 });
}
