import { StateStore } from "../state/agent-state.ts";
import { keyFileMode, readCredentials } from "../state/credentials.ts";
import { DiskQueue } from "../state/disk-queue.ts";
import { folderOptions, parseCommand, pathsOf } from "./options.ts";

export const summary =
  "print what the agent knows: identity, server, queue, last delivery, last command (never the key)";
export const usage = `homepot-agent status [--json] [--dir DIR] [--key-file FILE]
  Prints the device id, server, whether the agent runs (its pid), queued reports, the last delivery and the
  last command; never the key. Exit 0.
  --json           the same as one JSON object
  --dir DIR        the agent's folder (default $HOMEPOT_AGENT_DIR or ~/.config/homepot-agent)
  --key-file FILE  the credentials file (default DIR/credentials.json)`;

export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const values = parseCommand(argv, usage, { json: { type: "boolean" }, ...folderOptions });
  if (typeof values === "number") return values;
  const paths = pathsOf(values, env);
  const credentials = readCredentials(paths.keyFile);
  const state = new StateStore(paths.stateFile).get();
  const running = state.pid !== null && alive(state.pid);
  const report = {
    device_id: credentials?.device_id ?? null,
    site_id: credentials?.site_id ?? null,
    server: credentials?.server ?? null,
    key_file: paths.keyFile,
    key_file_mode: keyFileMode(paths.keyFile) ?? null,
    key_source: env.HOMEPOT_DEVICE_API_KEY ? "HOMEPOT_DEVICE_API_KEY" : credentials ? "key file" : "none",
    queued_items: new DiskQueue(paths.queueDir, Number.MAX_SAFE_INTEGER).size(),
    ...state,
    running,
    pid: running ? state.pid : null,
  };
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  for (const [k, v] of Object.entries(report))
    console.log(`${k.padEnd(18)} ${v === null ? "-" : typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  return credentials ? 0 : 1;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
