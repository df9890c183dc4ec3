import type { DeviceRow } from "@homepot/core/devices/device.repository";
import { listDevices } from "@homepot/core/devices/list-devices";
import { presentDevice } from "@homepot/core/devices/present";
import { archiveDevice } from "@homepot/core/lifecycle/archive-device";
import type { TransitionResult } from "@homepot/core/lifecycle/record-transition";
import { reenrolDevice } from "@homepot/core/lifecycle/reenrol-device";
import { restoreDevice } from "@homepot/core/lifecycle/restore-device";
import { resumeDevice } from "@homepot/core/lifecycle/resume-device";
import { suspendDevice } from "@homepot/core/lifecycle/suspend-device";
import { transferDevice } from "@homepot/core/lifecycle/transfer-device";
import { unpairDevice } from "@homepot/core/lifecycle/unpair-device";
import { intOption, oneOf, parseSubcommand, stringFlags } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { withCliContext } from "../lib/database.ts";
import { print, printAs, printList } from "../lib/output.ts";

export const summary = "devices: list, suspend, resume, unpair, transfer, reenrol, archive, restore";

const HELP = `Usage: homepot devices <subcommand> [options]

  list [--site S] [--lifecycle pending|active|suspended|unpaired]
       [--health healthy|warning|error|maintenance|unknown] [--archived] [--limit N]
                                              (--health: active devices, as the Overview counts them)
  suspend <device> [--reason TEXT]            refuse its calls and commands (its key is kept)
  resume <device> [--reason TEXT]             back to active
  unpair <device> [--reason TEXT]             revoke its key, cancel its open commands
  transfer <device> --to SITE [--reason TEXT] move it to another site (new epoch, new key, shown once)
  reenrol <device> [--site S] [--reason TEXT] bring an unpaired device back (new epoch, new key, shown once)
  archive <device> [--reason TEXT]            out of the lists, data kept, suspended
  restore <device>                            back from the archive, suspended until resumed

Every subcommand takes --json. Changes are recorded as lifecycle events and audited as the system user "cli".`;

export const subcommands = ["list", "suspend", "resume", "unpair", "transfer", "reenrol", "archive", "restore"];
const LIFECYCLE = ["pending", "active", "suspended", "unpaired"] as const;
const HEALTH = ["healthy", "warning", "error", "maintenance", "unknown"] as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseSubcommand(argv, subcommands, HELP, {
    ...stringFlags("site", "lifecycle", "health", "limit", "reason", "to"),
    archived: { type: "boolean" },
  });
  if (typeof parsed === "number") return parsed;
  const { sub, values, positionals } = parsed;
  const lifecycleState = oneOf(values.lifecycle, LIFECYCLE, "--lifecycle");
  const healthState = oneOf(values.health, HEALTH, "--health");
  const limit = intOption(values.limit, "limit", 100, 1, 1000);
  const deviceId = positionals[0];
  if (sub !== "list" && !deviceId) throw new CliError(`${sub}: a device id is required`, 2);
  if (sub === "transfer" && !values.to) throw new CliError("transfer: --to SITE is required", 2);

  return withCliContext(async (ctx) => {
    if (sub === "list") {
      const { devices, total } = await listDevices(ctx, {
        limit,
        offset: 0,
        siteId: values.site,
        lifecycleState,
        healthState,
        archived: values.archived,
      });
      printList(
        values.json,
        devices.map((d) => presentDevice(d.device, d.siteName)),
        (d) => ({
          device: d.device_id,
          name: d.name,
          site: d.site_id,
          lifecycle: d.is_active ? d.lifecycle_state : "archived",
          connectivity: d.connectivity_state,
          health: d.health_state,
          source: d.source,
          last_heartbeat: d.last_heartbeat_at ?? "never",
        }),
        { total },
      );
      return 0;
    }
    const id = deviceId as string;
    const input = { reason: values.reason };
    let device: DeviceRow;
    let note: string;
    let apiKey: string | undefined;
    if (sub === "archive" || sub === "restore") {
      const r = sub === "archive" ? await archiveDevice(ctx, id, values.reason) : await restoreDevice(ctx, id);
      device = r.device;
      note = r.already ? `Device ${id} was already ${sub === "archive" ? "archived" : "in the lists"}` : "";
      note ||= `Device ${id} ${sub}d (${device.lifecycleState}${device.isActive ? "" : ", archived"})`;
    } else {
      let r: TransitionResult;
      if (sub === "suspend") r = await suspendDevice(ctx, id, input);
      else if (sub === "resume") r = await resumeDevice(ctx, id, input);
      else if (sub === "unpair") r = await unpairDevice(ctx, id, input);
      else if (sub === "transfer") r = await transferDevice(ctx, id, { ...input, targetSiteId: values.to as string });
      else r = await reenrolDevice(ctx, id, { ...input, siteId: values.site });
      device = r.device;
      apiKey = r.apiKey;
      note = `Device ${id} ${r.replayed ? "was already " : "is now "}${device.lifecycleState} at ${device.siteId}`;
    }
    printAs(values.json, { ...presentDevice(device), ...(apiKey ? { api_key: apiKey } : {}) }, () => {
      print(note);
      if (apiKey) print(`New API key (shown once, the old one no longer works): ${apiKey}`);
    });
    return 0;
  });
}
