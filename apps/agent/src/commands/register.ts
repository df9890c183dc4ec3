import type { Answer } from "@homepot/contracts/client";
import { ApiClient, detailOf, NetworkError } from "../runtime/api.ts";
import { defaultDeviceId } from "../runtime/machine-identity.ts";
import { keyFileMode, writeCredentials } from "../state/credentials.ts";
import { pinKeys } from "./enrol.ts";
import { folderOptions, parseCommand, pathsOf, serverUrl, UsageError } from "./options.ts";

export const summary = "register this machine as a device of a site and store its key (mode 0600)";
export const usage = `homepot-agent register --server URL --site SITE [--device-id ID] [--name NAME] [--type TYPE]
    [--email EMAIL (password in HOMEPOT_PASSWORD) | --token JWT (or HOMEPOT_TOKEN)]
    [--key KEY (or HOMEPOT_DEVICE_API_KEY): store the key of an already registered device instead]
    [--dir DIR] [--key-file FILE]
  Registers this machine as device ID (default: from this machine's machine-id, device-<12 hex>) of site SITE, signed in as an operator, and
  stores the key it is given (shown once by the server) in the key file, mode 0600.
  --name, --type   the device's name (default ID) and type (default pos_terminal)
  --dir DIR        the agent's folder (default $HOMEPOT_AGENT_DIR or ~/.config/homepot-agent)
  --key-file FILE  where the key is stored (default DIR/credentials.json)`;

export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env, out = console): Promise<number> {
  const options = {
    server: { type: "string" },
    site: { type: "string" },
    "device-id": { type: "string" },
    name: { type: "string" },
    type: { type: "string" },
    email: { type: "string" },
    token: { type: "string" },
    key: { type: "string" },
    ...folderOptions,
  } as const;
  const values = parseCommand(argv, usage, options, out);
  if (typeof values === "number") return values;
  if (!values.server) throw new UsageError("--server is required");
  if (!values.site) throw new UsageError("--site is required");
  const server = serverUrl(values.server);
  const deviceId = values["device-id"] ?? defaultDeviceId();
  const paths = pathsOf(values, env);
  const existingKey = values.key ?? env.HOMEPOT_DEVICE_API_KEY;

  const store = async (apiKey: string, releaseKey?: unknown) => {
    writeCredentials(paths.keyFile, {
      server,
      device_id: deviceId,
      site_id: values.site,
      api_key: apiKey,
      registered_at: new Date().toISOString(),
    });
    out.log(`key stored in ${paths.keyFile} (mode ${keyFileMode(paths.keyFile)})`);
    await pinKeys(new ApiClient(server), paths.dir, releaseKey, out);
  };

  if (existingKey) {
    // The device exists already; keep its key without registering again.
    await store(existingKey);
    out.log(
      `device ${deviceId} configured for ${server}; start it with: homepot-agent run${values.dir ? ` --dir ${paths.dir}` : ""}`,
    );
    return 0;
  }

  const api = new ApiClient(server);
  const bearer =
    values.token ?? env.HOMEPOT_TOKEN ?? (await login(api, values.email ?? env.HOMEPOT_EMAIL, env.HOMEPOT_PASSWORD));
  const body = { device_id: deviceId, name: values.name ?? deviceId, device_type: values.type ?? "pos_terminal" };
  let res: Answer<"POST /devices/sites/{site_id}/devices">;
  try {
    res = await api.call(
      "POST /devices/sites/{site_id}/devices",
      { params: { site_id: values.site }, body },
      { bearer, device: false },
    );
  } catch (error) {
    if (error instanceof NetworkError) throw new UsageError(`cannot reach ${server}: ${error.message}`);
    throw error;
  }
  if (res.status === 409) {
    out.error(
      `device ${deviceId} is already registered (409). Use its existing key with --key (or HOMEPOT_DEVICE_API_KEY), ` +
        `or have an operator rotate it (POST /api/v1/devices/${deviceId}/api-key/rotate) and pass the new one.`,
    );
    return 1;
  }
  if (res.status !== 201 && res.status !== 200) {
    out.error(`registration failed (${res.status}): ${detailOf(res)}`);
    return 1;
  }
  const reply = res.ok ? res.body : undefined;
  const apiKey = typeof reply?.api_key === "string" ? reply.api_key : undefined;
  if (!reply || !apiKey) {
    out.error("registration answered without an api_key");
    return 1;
  }
  await store(apiKey, reply.release_key);
  out.log(
    `registered ${deviceId} at site ${values.site} on ${server}; start it with: homepot-agent run${values.dir ? ` --dir ${paths.dir}` : ""}`,
  );
  return 0;
}

async function login(api: ApiClient, email: string | undefined, password: string | undefined): Promise<string> {
  if (!email || !password)
    throw new UsageError(
      "registering needs an operator: --token (or HOMEPOT_TOKEN), or --email with the password in HOMEPOT_PASSWORD",
    );
  const res = await api
    .call("POST /auth/login", { body: { email, password } }, { device: false })
    .catch((error: Error) => {
      throw new UsageError(`cannot reach ${api.server}: ${error.message}`);
    });
  const token = res.ok ? res.body?.data?.access_token : undefined;
  if (res.status !== 200 || typeof token !== "string")
    throw new UsageError(`login failed (${res.status}): ${detailOf(res)}`);
  return token;
}
