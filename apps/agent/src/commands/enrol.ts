import type { Answer, ResponseOf } from "@homepot/contracts/client";
import type { EndpointKey } from "@homepot/contracts/endpoints";
import { ApiClient, detailOf, NetworkError } from "../runtime/api.ts";
import { pinReleaseKeys } from "../runtime/release-installer.ts";
import { keyFileMode, writeCredentials } from "../state/credentials.ts";
import { agentDir, agentPaths } from "../state/paths.ts";
import { folderOptions, type parse, parseCommand, serverUrl, UsageError } from "./options.ts";

/** Options `claim` and `bootstrap` share with `register`. */
export const enrolOptions = {
  server: { type: "string" },
  name: { type: "string" },
  type: { type: "string" },
  ...folderOptions,
} as const;

type Flags = NonNullable<Parameters<typeof parse>[1]>;
type Values<T extends Flags> = ReturnType<typeof parse<typeof enrolOptions & T>>["values"];

/** What `claim` and `bootstrap` send and read back, from their parsed flags. */
export interface EnrolRequest<K extends EndpointKey> {
  send: (api: ApiClient) => Promise<Answer<K>>;
  pick: (reply: ResponseOf<K>) => Partial<EnrolAnswer> | undefined;
}

/**
 * An enrolment command's `run` (`claim`, `bootstrap`): parses the shared flags and its own (`flags`), prints `usage`
 * for --help, requires --server, then sends what `request` builds from the flags and the device's name and type.
 */
export function enrolmentCommand<T extends Flags, K extends EndpointKey>(
  usage: string,
  flags: T,
  request: (
    values: Values<T>,
    named: { device_name?: string; device_type?: string },
    env: NodeJS.ProcessEnv,
  ) => EnrolRequest<K>,
) {
  return async (
    argv: string[],
    env: NodeJS.ProcessEnv = process.env,
    out: Pick<Console, "log" | "error"> = console,
  ): Promise<number> => {
    const values = parseCommand(argv, usage, { ...enrolOptions, ...flags }, out);
    if (typeof values === "number") return values;
    const shared = values as { server?: string; dir?: string; name?: string; type?: string } & { "key-file"?: string };
    const { server, dir, name, type } = shared;
    if (!server) throw new UsageError("--server is required");
    const named = { ...(name ? { device_name: name } : {}), ...(type ? { device_type: type } : {}) };
    const { send, pick } = request(values, named, env);
    return enrol({ server: serverUrl(server), dir, keyFile: shared["key-file"] }, send, pick, env, out);
  };
}

export interface EnrolAnswer {
  device_id: string;
  api_key: string;
  site_id: string;
  epoch_id?: string;
  lifecycle_state?: string;
  /** The release keys to pin (newer servers send them with the key). */
  release_key?: unknown;
}

/**
 * Sends one enrolment request (no user sign-in: the token or key in the body is the credential) and stores the
 * key it answers in the key file (mode 0600). Returns the exit code; a refusal prints the server's reason.
 */
export async function enrol<K extends EndpointKey>(
  options: { server: string; dir?: string | undefined; keyFile?: string | undefined },
  send: (api: ApiClient) => Promise<Answer<K>>,
  pick: (reply: ResponseOf<K>) => Partial<EnrolAnswer> | undefined,
  env: NodeJS.ProcessEnv,
  out: Pick<Console, "log" | "error">,
): Promise<number> {
  const api = new ApiClient(options.server);
  let res: Answer<K>;
  try {
    res = await send(api);
  } catch (error) {
    if (error instanceof NetworkError) throw new UsageError(`cannot reach ${options.server}: ${error.message}`);
    throw error;
  }
  if (!res.ok || (res.status !== 201 && res.status !== 200)) {
    out.error(`enrolment refused (${res.status}): ${detailOf(res)}`);
    return 1;
  }
  const reply = pick(res.body);
  if (typeof reply?.device_id !== "string" || typeof reply.api_key !== "string") {
    out.error("the server answered without a device id and key");
    return 1;
  }
  const answer = reply as EnrolAnswer;
  const paths = agentPaths(agentDir(options.dir, env), options.keyFile);
  writeCredentials(paths.keyFile, {
    server: options.server,
    device_id: answer.device_id,
    site_id: answer.site_id,
    api_key: answer.api_key,
    registered_at: new Date().toISOString(),
  });
  out.log(`key stored in ${paths.keyFile} (mode ${keyFileMode(paths.keyFile)})`);
  await pinKeys(api, paths.dir, answer.release_key, out);
  const pending = answer.lifecycle_state === "pending" ? " (waiting for an operator's approval)" : "";
  out.log(
    `enrolled as ${answer.device_id} at site ${answer.site_id}${pending}; start it with: homepot-agent run${options.dir ? ` --dir ${paths.dir}` : ""}`,
  );
  return 0;
}

/** Pins the release keys at enrolment, so a later impostor cannot hand the device its own key. */
export async function pinKeys(api: ApiClient, dir: string, given: unknown, out: Pick<Console, "log" | "error">) {
  try {
    const n = await pinReleaseKeys(api, dir, given);
    out.log(`${n} release key(s) pinned in ${dir}/release-keys.pem`);
  } catch (error) {
    out.error(`release keys not pinned (${(error as Error).message}); the agent fetches them on first use`);
  }
}
