import type { Command, QueueCommandBody } from "@homepot/contracts/commands";
import { type FormEvent, useState } from "react";
import type { z } from "zod";
import { DataTable, rowsOf } from "../../components/data-table.tsx";
import {
  Button,
  Card,
  ErrorMessage,
  SelectField,
  StatusBadge,
  SubmitButton,
  TextAreaField,
} from "../../components/ui/index.tsx";
import { call, invalidField, toApiError } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { CommandResult } from "../commands/command-result.tsx";
import { DESTRUCTIVE, DEVICE_COMMANDS, type DeviceCommandType } from "../commands/command-types.ts";
import { useDeviceList } from "./use-device-list.ts";

const OPEN = new Set(["pending", "sent"]);
/** A valid UPDATE_CONFIG payload to start from: the whole configuration inline, and its version. */
const CONFIG_TEMPLATE = '{\n  "config_version": "1.0.1",\n  "config": {\n    "payment_timeout_s": 45\n  }\n}';

/** The update-config payload as the server wants it; throws naming the field that is wrong. */
function parseConfigPayload(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidField("payload", "not valid JSON");
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw invalidField("payload", "must be a JSON object");
  const p = value as Record<string, unknown>;
  const inline = p.config && typeof p.config === "object" && !Array.isArray(p.config);
  if (!inline && typeof p.config_url !== "string")
    throw invalidField("payload.config", 'needs "config": {…} (the whole configuration) or "config_url"');
  return p;
}

/** The lifecycle of a command as steps with their times. */
function Lifecycle({ c }: { c: Command }) {
  const steps: [string, string | null][] = [
    ["queued", c.created_at],
    ["sent", c.sent_at],
    ["acknowledged", c.acked_at],
    ["executed", c.executed_at],
    [
      c.status === "cancelled"
        ? "cancelled"
        : c.status === "expired"
          ? "expired"
          : c.status === "failed"
            ? "failed"
            : "completed",
      c.completed_at ?? c.cancelled_at,
    ],
  ];
  return (
    <ol className="row" aria-label="Lifecycle" style={{ listStyle: "none", margin: 0, padding: 0 }}>
      {steps.map(([label, at], i) => (
        <li key={label} className={at ? "" : "muted"}>
          {i > 0 && "→ "}
          {label} {at ? <small className="muted">{new Date(at).toLocaleTimeString()}</small> : ""}
        </li>
      ))}
    </ol>
  );
}

export function CommandsPanel({ deviceId }: { deviceId: string }) {
  const canSend = useCan("operator");
  const list = useDeviceList("GET /devices/{device_id}/commands", deviceId, 25, 2_000);
  const [type, setType] = useState<DeviceCommandType>("ping");
  const [payload, setPayload] = useState(CONFIG_TEMPLATE);
  const [confirming, setConfirming] = useState(false);
  const [sentId, setSentId] = useState<string>();
  const action = useAction(list.reload);

  const send = (e: FormEvent) => {
    e.preventDefault();
    let body: z.input<typeof QueueCommandBody>;
    try {
      body = { command_type: type, ...(type === "update_config" ? { payload: parseConfigPayload(payload) } : {}) };
    } catch (error) {
      action.setError(toApiError(error));
      return;
    }
    if (DESTRUCTIVE[type] && !confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    void action.run(async () => {
      const res = await call("POST /devices/{device_id}/commands", { params: { device_id: deviceId }, body });
      setSentId(res.data?.command_id);
    });
  };

  const cancel = (commandId: string) =>
    action.run(() =>
      call("POST /devices/{device_id}/commands/{command_id}/cancel", {
        params: { device_id: deviceId, command_id: commandId },
      }),
    );

  /** Reuse: the same command type and payload, queued again (destructive ones after a confirmation). */
  const runAgain = (c: { command_type: string; payload?: unknown }) => {
    const warning = DESTRUCTIVE[c.command_type.toLowerCase()];
    void action.run(
      async () => {
        const body = { command_type: c.command_type, payload: (c.payload ?? undefined) as Record<string, unknown> };
        const res = await call("POST /devices/{device_id}/commands", { params: { device_id: deviceId }, body });
        setSentId(res.data?.command_id);
      },
      warning ? { confirm: `${c.command_type.toLowerCase()} ${deviceId} again? ${warning}` } : {},
    );
  };

  return (
    <Card title="Commands" id="device-commands">
      {canSend && (
        <form className="form" id="send-command-form" onSubmit={send}>
          <div className="filters">
            <SelectField
              label="Command"
              name="command_type"
              value={type}
              onValue={(v) => {
                setType(v);
                setConfirming(false);
              }}
              options={DEVICE_COMMANDS}
            />
            {!confirming && (
              <SubmitButton id="send-command" pending={action.pending} busy="Sending…">
                Send command
              </SubmitButton>
            )}
          </div>
          {confirming && DESTRUCTIVE[type] && (
            <div className="alert alert-warn" id="confirm-command" role="alertdialog" aria-label="Confirm the command">
              <p>
                <strong>
                  {DEVICE_COMMANDS.find((t) => t.value === type)?.label} {deviceId}?
                </strong>{" "}
                {DESTRUCTIVE[type]}
              </p>
              <div className="row">
                <SubmitButton id="confirm-command-yes" variant="danger" pending={action.pending} busy="Sending…">
                  Yes, {type}
                </SubmitButton>
                <Button id="confirm-command-no" variant="ghost" onClick={() => setConfirming(false)}>
                  Keep it running
                </Button>
              </div>
            </div>
          )}
          {type === "update_config" && (
            <TextAreaField
              label="Configuration (JSON)"
              hint={
                'Replaces the device\'s whole configuration: {"config": {…}} inline, or {"config_url": "…"}; config_version is recorded beside it'
              }
              name="payload"
              rows={5}
              value={payload}
              onValue={setPayload}
            />
          )}
          <ErrorMessage error={action.error} what="Sending the command" />
        </form>
      )}
      <DataTable
        id="commands-table"
        what="Device commands"
        rows={rowsOf(list, (d) => d.commands)}
        row={(c) => ({
          key: c.command_id,
          className: c.command_id === sentId ? "highlight" : "",
          "data-command-id": c.command_id,
        })}
        empty="No commands sent to this device yet."
        columns={(c) => [
          {
            header: "Command",
            cell: (cmd) => (
              <>
                <strong>{cmd.command_type.toLowerCase()}</strong>
                <div className="muted">
                  <small title={formatDateTime(cmd.created_at)}>
                    {timeAgo(cmd.created_at)}
                    {cmd.created_by ? ` by ${cmd.created_by_username ?? cmd.created_by}` : ""}
                    {cmd.job_id ? ` · job ${cmd.job_id}` : ""}
                  </small>
                </div>
              </>
            ),
          },
          { header: "Status", cell: (cmd) => <StatusBadge status={cmd.status} /> },
          { header: "Lifecycle", cell: (cmd) => <Lifecycle c={cmd} /> },
          {
            header: "Result",
            cell: (cmd) => <CommandResult c={cmd} />,
          },
          c.actions(
            (cmd) =>
              canSend &&
              (OPEN.has(cmd.status) ? (
                <Button
                  id={`cancel-command-${cmd.command_id}`}
                  variant="ghost"
                  onClick={() => void cancel(cmd.command_id)}
                >
                  Cancel
                </Button>
              ) : (
                <Button id={`rerun-command-${cmd.command_id}`} variant="ghost" onClick={() => runAgain(cmd)}>
                  Run again
                </Button>
              )),
          ),
        ]}
      />
    </Card>
  );
}
