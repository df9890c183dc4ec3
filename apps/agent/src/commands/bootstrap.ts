import type { BodyOf } from "@homepot/contracts/client";
import { machineIdentity } from "../runtime/machine-identity.ts";
import { enrolmentCommand } from "./enrol.ts";
import { requireSecret, UsageError } from "./options.ts";

export const summary = "provision this machine at a site with the site's bootstrap key";
export const usage = `homepot-agent bootstrap --server URL --site SITE
    [--key-file-in FILE | HOMEPOT_BOOTSTRAP_KEY] [--name NAME] [--type TYPE] [--source physical|emulator]
    [--dir DIR] [--key-file FILE]
  Provisions this machine as a new device of SITE with the site's reusable bootstrap key (read from
  --key-file-in or HOMEPOT_BOOTSTRAP_KEY, never from the command line); the server chooses the device id.
  At a site that requires approval the device waits as pending until an operator approves it.
  --name, --type   the device's name (unique at the site) and type (default pos_terminal)
  --source         physical (default) or emulator
  --dir DIR        the agent's folder (default $HOMEPOT_AGENT_DIR or ~/.config/homepot-agent)
  --key-file FILE  where the device key is stored (default DIR/credentials.json)`;

export const run = enrolmentCommand(
  usage,
  { site: { type: "string" }, "key-file-in": { type: "string" }, source: { type: "string" } } as const,
  (values, named, env) => {
    if (!values.site) throw new UsageError("--site is required");
    const source = values.source ?? "physical";
    if (source !== "physical" && source !== "emulator")
      throw new UsageError(`--source must be physical or emulator, got "${values.source}"`);
    const key = requireSecret(
      values["key-file-in"],
      "--key-file-in",
      env,
      "HOMEPOT_BOOTSTRAP_KEY",
      "the bootstrap key",
    );
    const identity = machineIdentity();
    const body: BodyOf<"POST /devices/bootstrap-provision"> = {
      site_id: values.site,
      bootstrap_key: key,
      provisioning_source: source,
      ...named,
      ...(identity ? { machine_id: identity } : {}),
    };
    return {
      send: (api) => api.call("POST /devices/bootstrap-provision", { body }, { device: false }),
      pick: (reply) => reply?.data,
    };
  },
);
