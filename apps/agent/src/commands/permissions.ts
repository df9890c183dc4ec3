import { parseArgs } from "node:util";
import { PERMISSION_KEYS } from "@homepot/contracts/permissions";
import { Agent } from "../runtime/agent.ts";
import { ApiClient } from "../runtime/api.ts";
import { createLogger } from "../runtime/logger.ts";
import { StateStore } from "../state/agent-state.ts";
import { readCredentials } from "../state/credentials.ts";
import { DeviceConfigStore } from "../state/device-config.ts";
import { DiskQueue } from "../state/disk-queue.ts";
import type { AgentPaths } from "../state/paths.ts";
import { isPermissionKey, PermissionStore, type RequestPolicy } from "../state/permissions.ts";
import { folderOptions, pathsOf, UsageError } from "./options.ts";

export const summary = "show or change what remote operators may do on this device (the owner's grants)";
export const usage = `homepot-agent permissions [show] [--json]
homepot-agent permissions grant <permission…>
homepot-agent permissions revoke <permission…>
homepot-agent permissions on-request ask|auto|deny
  permissions: ${PERMISSION_KEYS.join(", ")}
  options: --dir DIR, --key-file FILE, --json, --help,
    --offline (change the local grants without telling the server)`;

/** The owner decides on the device: grants live in the agent's dir and are pushed to the server after each change. */
export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof flags; allowPositionals: true; strict: true; args: string[] }>
  >;
  const flags = {
    json: { type: "boolean" },
    ...folderOptions,
    offline: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  } as const;
  try {
    parsed = parseArgs({ args: argv, options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const [action = "show", ...args] = positionals;
  const paths = pathsOf(values, env);
  const store = new PermissionStore(paths.permissionsFile);

  if (action === "grant" || action === "revoke") {
    if (args.length === 0) throw new UsageError(`name at least one permission (${PERMISSION_KEYS.join(", ")})`);
    const bad = args.filter((a) => !isPermissionKey(a));
    if (bad.length) throw new UsageError(`unknown permission ${bad.join(", ")} (one of ${PERMISSION_KEYS.join(", ")})`);
    store.set(Object.fromEntries(args.map((a) => [a, action === "grant"])));
    if (!values.offline) await sync(paths, env);
  } else if (action === "on-request") {
    const policy = args[0];
    if (policy !== "ask" && policy !== "auto" && policy !== "deny")
      throw new UsageError("on-request takes ask, auto or deny");
    store.setPolicy(policy as RequestPolicy);
  } else if (action !== "show") {
    throw new UsageError(`unknown action "${action}"; try homepot-agent permissions --help`);
  }

  const file = store.get();
  if (values.json) {
    console.log(JSON.stringify(file, null, 2));
    return 0;
  }
  for (const k of PERMISSION_KEYS) console.log(`${k.padEnd(20)} ${file.grants[k] ? "granted" : "-"}`);
  console.log(`${"on request".padEnd(20)} ${file.on_request}`);
  for (const p of file.pending)
    console.log(`asked: ${p.permission} (command ${p.command_id}, ${p.asked_at})${p.reason ? `: ${p.reason}` : ""}`);
  return 0;
}

/** Pushes the local grants to the server with the device's own key; the local file stays the truth either way. */
async function sync(paths: AgentPaths, env: NodeJS.ProcessEnv): Promise<void> {
  const credentials = readCredentials(paths.keyFile);
  const apiKey = env.HOMEPOT_DEVICE_API_KEY || credentials?.api_key;
  if (!credentials?.server || !credentials.device_id || !apiKey) {
    console.error("not registered: the grants are kept locally and sent when the agent runs");
    return;
  }
  const state = new StateStore(paths.stateFile);
  const agent = new Agent(
    {
      api: new ApiClient(credentials.server, { deviceId: credentials.device_id, apiKey }),
      queue: new DiskQueue(paths.queueDir, Number.MAX_SAFE_INTEGER),
      state,
      config: new DeviceConfigStore(paths.deviceConfig, paths.previousDeviceConfig),
      log: createLogger("error"),
      permissions: new PermissionStore(paths.permissionsFile),
    },
    { intervalS: 30, pollIntervalS: 15, allowReboot: false, local: {} },
  );
  await agent.syncPermissions();
}
