import type { BodyOf } from "@homepot/contracts/client";
import { machineIdentity } from "../runtime/machine-identity.ts";
import { enrolmentCommand } from "./enrol.ts";
import { requireSecret, UsageError } from "./options.ts";

export const summary = "enrol this machine with a one-time claim token an operator created for a site";
export const usage = `homepot-agent claim --server URL --intent INTENT_ID
    [--token-file FILE | HOMEPOT_CLAIM_TOKEN] [--identity ID] [--name NAME] [--type TYPE] [--dir DIR] [--key-file FILE]
  Redeems the enrolment intent INTENT_ID with its claim token (read from --token-file or HOMEPOT_CLAIM_TOKEN,
  never from the command line) and stores the device key the server answers in the key file, mode 0600.
  --identity ID    the identity the intent expects (default: this machine's identity, from its machine-id)
  --name, --type   the device's name and type (default: what the intent says, else pos_terminal)
  --dir DIR        the agent's folder (default $HOMEPOT_AGENT_DIR or ~/.config/homepot-agent)
  --key-file FILE  where the key is stored (default DIR/credentials.json)`;

export const run = enrolmentCommand(
  usage,
  { intent: { type: "string" }, "token-file": { type: "string" }, identity: { type: "string" } } as const,
  (values, named, env) => {
    const intent = values.intent;
    if (!intent) throw new UsageError("--intent is required");
    const token = requireSecret(values["token-file"], "--token-file", env, "HOMEPOT_CLAIM_TOKEN", "the claim token");
    const identity = values.identity ?? machineIdentity();
    const body: BodyOf<"POST /enrolment-intents/{intent_id}/claim"> = {
      claim_token: token,
      ...named,
      ...(identity ? { expected_device_identity: identity } : {}),
    };
    const params = { intent_id: intent };
    return {
      send: (api) => api.call("POST /enrolment-intents/{intent_id}/claim", { params, body }, { device: false }),
      pick: (reply) => reply,
    };
  },
);
