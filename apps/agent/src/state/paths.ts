import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Where the agent keeps its files: `--dir`, HOMEPOT_AGENT_DIR, or the user's config dir. */
export function agentDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.HOMEPOT_AGENT_DIR) return resolve(env.HOMEPOT_AGENT_DIR);
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "homepot-agent");
}

export interface AgentPaths {
  dir: string;
  keyFile: string;
  queueDir: string;
  stateFile: string;
  deviceConfig: string;
  previousDeviceConfig: string;
  permissionsFile: string;
}

export function agentPaths(dir: string, keyFile?: string): AgentPaths {
  return {
    dir,
    keyFile: keyFile ? resolve(keyFile) : join(dir, "credentials.json"),
    queueDir: join(dir, "queue"),
    stateFile: join(dir, "state.json"),
    deviceConfig: join(dir, "device-config.json"),
    previousDeviceConfig: join(dir, "device-config.previous.json"),
    permissionsFile: join(dir, "permissions.json"),
  };
}
