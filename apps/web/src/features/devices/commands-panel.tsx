import type { Command } from "@homepot/contracts/commands";
import { type FormEvent, useState } from "react";
import {
  Button,
  Card,
  Empty,
  ErrorMessage,
  Field,
  JsonView,
  Loadable,
  Select,
  StatusBadge,
  TextArea,
} from "../../components/ui/index.tsx";
import { ApiError, type ListResponse, post, type WriteResponse } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import { useApi } from "../../lib/use-api.ts";

const TYPES = [
  { value: "ping", label: "Ping" },
  { value: "run_health_check", label: "Run health check" },
  { value: "restart", label: "Restart the POS app" },
  { value: "reboot", label: "Reboot the device" },
  { value: "update_config", label: "Update configuration" },
  { value: "restart_agent", label: "Restart the agent" },
  { value: "status_request", label: "Status request (live snapshot)" },
];
const OPEN = new Set(["pending", "sent"]);
/** Commands that interrupt the device: sent only after the operator confirms, with what they do. */
const DESTRUCTIVE: Record<string, string> = {
  reboot: "The device reboots: it stops taking payments and goes offline until it is back up.",
  restart: "The POS app restarts: a sale in progress on this device is interrupted.",
};
/** A valid UPDATE_CONFIG payload to start from: the whole configuration inline, and its version. */
const CONFIG_TEMPLATE = '{\n  "config_version": "1.0.1",\n  "config": {\n    "payment_timeout_s": 45\n  }\n}';

/** The update-config payload as the server wants it, or the field that is wrong. */
function parseConfigPayload(text: string): { payload: Record<string, unknown> } | { field: string; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { field: "payload", message: "not valid JSON" };
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    return { field: "payload", message: "must be a JSON object" };
  const p = value as Record<string, unknown>;
  const inline = p.config && typeof p.config === "object" && !Array.isArray(p.config);
  if (!inline && typeof p.config_url !== "string")
    return { field: "payload.config", message: 'needs "config": {…} (the whole configuration) or "config_url"' };
  return { payload: p };
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
  const list = useApi<ListResponse<"commands", Command>>(
    `/devices/${encodeURIComponent(deviceId)}/commands`,
    { limit: 25 },
    { pollMs: 2_000 },
  );
  const [type, setType] = useState("ping");
  const [payload, setPayload] = useState(CONFIG_TEMPLATE);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [sentId, setSentId] = useState<string>();

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    let body: Record<string, unknown> = { command_type: type };
    if (type === "update_config") {
      const parsed = parseConfigPayload(payload);
      if ("field" in parsed) {
        setError(
          new ApiError(400, `The payload ${parsed.message}`, [
            { field: parsed.field, location: "body", message: parsed.message },
          ]),
        );
        return;
      }
      body = { ...body, payload: parsed.payload };
    }
    if (DESTRUCTIVE[type] && !confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    setBusy(true);
    try {
      const res = await post<WriteResponse<Command>>(`/devices/${encodeURIComponent(deviceId)}/commands`, body);
      setSentId(res.data?.command_id);
      list.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async (commandId: string) => {
    try {
      await post(`/devices/${encodeURIComponent(deviceId)}/commands/${encodeURIComponent(commandId)}/cancel`);
      list.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  };

  return (
    <Card title="Commands" id="device-commands">
      {canSend && (
        <form className="form" id="send-command-form" onSubmit={send}>
          <div className="filters">
            <Field label="Command">
              {(id) => (
                <Select
                  id={id}
                  name="command_type"
                  value={type}
                  onChange={(e) => {
                    setType(e.target.value);
                    setConfirming(false);
                  }}
                >
                  {TYPES.map((t) => (
                    <option key={t.value} value={t.value}>
                      {t.label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            {!confirming && (
              <Button id="send-command" type="submit" variant="primary" disabled={busy}>
                {busy ? "Sending…" : "Send command"}
              </Button>
            )}
          </div>
          {confirming && DESTRUCTIVE[type] && (
            <div className="alert alert-warn" id="confirm-command" role="alertdialog" aria-label="Confirm the command">
              <p>
                <strong>
                  {TYPES.find((t) => t.value === type)?.label} {deviceId}?
                </strong>{" "}
                {DESTRUCTIVE[type]}
              </p>
              <div className="row">
                <Button id="confirm-command-yes" type="submit" variant="danger" disabled={busy}>
                  {busy ? "Sending…" : `Yes, ${type}`}
                </Button>
                <Button id="confirm-command-no" variant="ghost" onClick={() => setConfirming(false)}>
                  Keep it running
                </Button>
              </div>
            </div>
          )}
          {type === "update_config" && (
            <Field
              label="Configuration (JSON)"
              hint={
                'Replaces the device\'s whole configuration: {"config": {…}} inline, or {"config_url": "…"}; config_version is recorded beside it'
              }
            >
              {(id) => (
                <TextArea
                  id={id}
                  name="payload"
                  rows={5}
                  value={payload}
                  onChange={(e) => setPayload(e.target.value)}
                />
              )}
            </Field>
          )}
          <ErrorMessage error={error} what="Sending the command" />
        </form>
      )}
      <Loadable state={list} what="Device commands">
        {(data) =>
          data.commands.length === 0 ? (
            <Empty>No commands sent to this device yet.</Empty>
          ) : (
            <table className="table" id="commands-table">
              <thead>
                <tr>
                  <th>Command</th>
                  <th>Status</th>
                  <th>Lifecycle</th>
                  <th>Result</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.commands.map((c) => (
                  <tr
                    key={c.command_id}
                    className={c.command_id === sentId ? "highlight" : ""}
                    data-command-id={c.command_id}
                  >
                    <td>
                      <strong>{c.command_type.toLowerCase()}</strong>
                      <div className="muted">
                        <small title={formatDateTime(c.created_at)}>
                          {timeAgo(c.created_at)}
                          {c.created_by ? ` by ${c.created_by_username ?? c.created_by}` : ""}
                          {c.job_id ? ` · job ${c.job_id}` : ""}
                        </small>
                      </div>
                    </td>
                    <td>
                      <StatusBadge status={c.status} />
                    </td>
                    <td>
                      <Lifecycle c={c} />
                    </td>
                    <td>
                      {c.error_message ? (
                        <span className="error-text">{c.error_message}</span>
                      ) : c.result !== null && c.result !== undefined ? (
                        <JsonView value={c.result} />
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      {canSend && OPEN.has(c.status) && (
                        <Button
                          id={`cancel-command-${c.command_id}`}
                          variant="ghost"
                          onClick={() => cancel(c.command_id)}
                        >
                          Cancel
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loadable>
    </Card>
  );
}
