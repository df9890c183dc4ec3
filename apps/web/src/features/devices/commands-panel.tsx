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
];
const OPEN = new Set(["pending", "sent"]);

/** The lifecycle of a command as steps with their times. */
function Lifecycle({ c }: { c: Command }) {
  const steps: [string, string | null][] = [
    ["queued", c.created_at],
    ["sent", c.sent_at],
    [
      c.status === "cancelled"
        ? "cancelled"
        : c.status === "expired"
          ? "expired"
          : c.status === "failed"
            ? "failed"
            : "succeeded",
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
  const [payload, setPayload] = useState('{\n  "settings": {}\n}');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [sentId, setSentId] = useState<string>();

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    let body: Record<string, unknown> = { command_type: type };
    if (type === "update_config") {
      try {
        body = { ...body, payload: JSON.parse(payload) };
      } catch {
        setError(
          new ApiError(400, "The payload is not valid JSON", [
            { field: "payload", location: "body", message: "not valid JSON" },
          ]),
        );
        return;
      }
    }
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
                <Select id={id} name="command_type" value={type} onChange={(e) => setType(e.target.value)}>
                  {TYPES.map((t) => (
                    <option key={t.value} value={t.value}>
                      {t.label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Button id="send-command" type="submit" variant="primary" disabled={busy}>
              {busy ? "Sending…" : "Send command"}
            </Button>
          </div>
          {type === "update_config" && (
            <Field label="Configuration (JSON)" hint="Sent to the device as the command payload">
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
                          {c.created_by ? ` by ${c.created_by}` : ""}
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
