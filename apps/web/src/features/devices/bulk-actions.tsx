import type { BulkDeviceActionResult } from "@homepot/contracts/devices";
import { type FormEvent, useState } from "react";
import type { z } from "zod";
import { Button, ErrorMessage, Input, Select, SubmitButton } from "../../components/ui/index.tsx";
import { post } from "../../lib/api.ts";
import type { Site } from "../../lib/types.ts";
import { useAction } from "../../lib/use-action.ts";
import { DESTRUCTIVE, DEVICE_COMMANDS } from "../commands/command-types.ts";
import { TargetSiteSelect } from "./target-site-select.tsx";

type Result = z.infer<typeof BulkDeviceActionResult>["data"];
type Kind = "command" | "move" | "maintenance" | "online" | "add-tags" | "remove-tags";

const COMMANDS = DEVICE_COMMANDS.filter((c) => c.bulk);

/** Splits "a, b c" into tags. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/** The body of `POST /devices/bulk` for one choice of the bulk bar. */
export function bulkBody(kind: Kind, ids: string[], arg: { command: string; siteId: string; tags: string }) {
  switch (kind) {
    case "command":
      return { action: "command", command_type: arg.command, device_ids: ids };
    case "move":
      return { action: "move", site_id: arg.siteId, device_ids: ids };
    case "maintenance":
      return { action: "status", status: "maintenance", device_ids: ids };
    case "online":
      return { action: "status", status: "online", device_ids: ids };
    case "add-tags":
      return { action: "tag", add: parseTags(arg.tags), device_ids: ids };
    case "remove-tags":
      return { action: "tag", remove: parseTags(arg.tags), device_ids: ids };
  }
}

/** The bar above the device table when devices are selected: one action on all of them, answered per device. */
export function BulkActions({
  selected,
  sites,
  onDone,
  onClear,
}: {
  selected: string[];
  sites: Site[];
  onDone: () => void;
  onClear: () => void;
}) {
  const [kind, setKind] = useState<Kind>("command");
  const [command, setCommand] = useState("ping");
  const [siteId, setSiteId] = useState("");
  const [tags, setTags] = useState("");
  const [confirming, setConfirming] = useState(false);
  const applying = useAction();
  const [result, setResult] = useState<Result>();

  const n = selected.length;
  const needsConfirm = kind === "command" && command in DESTRUCTIVE;
  const missing =
    (kind === "move" && !siteId) || ((kind === "add-tags" || kind === "remove-tags") && !parseTags(tags).length);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (needsConfirm && !confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    setResult(undefined);
    void applying.run(async () => {
      const res = await post<z.infer<typeof BulkDeviceActionResult>>(
        "/devices/bulk",
        bulkBody(kind, selected, { command, siteId, tags }),
      );
      setResult(res.data);
      onDone();
    });
  };

  const failed = result?.results.filter((r) => !r.success) ?? [];
  return (
    <form className="bulk-bar" id="bulk-actions" aria-label="Bulk actions" onSubmit={apply}>
      <div className="filters">
        <strong id="bulk-count">
          {n} device{n === 1 ? "" : "s"} selected
        </strong>
        <Select
          id="bulk-kind"
          aria-label="Bulk action"
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as Kind);
            setConfirming(false);
          }}
        >
          <option value="command">Queue a command</option>
          <option value="move">Move to another site</option>
          <option value="maintenance">Suspend (maintenance)</option>
          <option value="online">End maintenance (online)</option>
          <option value="add-tags">Add tags</option>
          <option value="remove-tags">Remove tags</option>
        </Select>
        {kind === "command" && (
          <Select
            id="bulk-command"
            aria-label="Command"
            value={command}
            onChange={(e) => {
              setCommand(e.target.value);
              setConfirming(false);
            }}
          >
            {COMMANDS.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </Select>
        )}
        {kind === "move" && (
          <TargetSiteSelect id="bulk-site" sites={sites} value={siteId} onValue={setSiteId} any="Choose a site…" />
        )}
        {(kind === "add-tags" || kind === "remove-tags") && (
          <Input id="bulk-tags" aria-label="Tags" placeholder="tags, comma-separated" value={tags} onValue={setTags} />
        )}
        <SubmitButton
          id="bulk-apply"
          variant={needsConfirm ? "danger" : "primary"}
          pending={applying.pending}
          busy="Applying…"
          disabled={missing}
        >
          {confirming ? `Confirm: ${command} ${n} device${n === 1 ? "" : "s"}` : "Apply"}
        </SubmitButton>
        {confirming && (
          <Button id="bulk-cancel" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        )}
        <Button id="bulk-clear" variant="ghost" onClick={onClear}>
          Clear selection
        </Button>
      </div>
      <ErrorMessage error={applying.error} what="The bulk action" />
      {result && (
        <div id="bulk-result" role="status">
          {result.succeeded} of {result.requested} done{result.failed ? `, ${result.failed} failed` : ""}.
          {failed.length > 0 && (
            <ul className="list">
              {failed.map((r) => (
                <li key={r.device_id}>
                  <span className="mono">{r.device_id}</span>: {r.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
