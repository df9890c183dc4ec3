import { type FormEvent, useState } from "react";
import { DataTable, rowsOf } from "../../components/data-table.tsx";
import { Card, ErrorMessage, SubmitButton, TextAreaField, TextField } from "../../components/ui/index.tsx";
import { call, parseJsonField } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDuration } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useDeviceList } from "./use-device-list.ts";

/** Send a notification to the device (operators) and follow its delivery: sent → delivered | failed | expired. */
export function PushPanel({ deviceId }: { deviceId: string }) {
  const canSend = useCan("operator");
  const logs = useDeviceList("GET /devices/device/{device_id}/push-logs", deviceId, 50, 3_000);
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [data, setData] = useState("");
  const [ttl, setTtl] = useState(3600);
  const sending = useAction(logs.reload);

  const send = (e: FormEvent) => {
    e.preventDefault();
    void sending.run(async () => {
      const parsed = parseJsonField(data, "data") as Record<string, unknown> | undefined;
      await call("POST /agents/{device_id}/push", {
        params: { device_id: deviceId },
        body: { title, body, ttl, ...(parsed ? { data: parsed } : {}) },
      });
      setTitle("");
      setBody("");
    });
  };

  return (
    <Card title="Push notifications" id="device-push">
      {canSend && (
        <form className="form" id="push-form" onSubmit={send}>
          <div className="filters">
            <TextField label="Title" name="title" value={title} maxLength={200} onValue={setTitle} />
            <TextField
              label="Time to live (s)"
              name="ttl"
              type="number"
              min={1}
              max={604800}
              value={ttl}
              onValue={(v) => setTtl(Number(v) || 3600)}
            />
          </div>
          <TextAreaField label="Message" name="body" rows={2} value={body} maxLength={2000} onValue={setBody} />
          <TextAreaField label="Data (JSON, optional)" name="data" rows={2} value={data} onValue={setData} />
          <SubmitButton id="push-send" pending={sending.pending} busy="Sending…">
            Send notification
          </SubmitButton>
          <ErrorMessage error={sending.error} what="Sending the notification" />
        </form>
      )}
      <DataTable
        id="push-logs-table"
        what="Push history"
        rows={rowsOf(logs, (d) => d.push_logs)}
        row={(p) => ({ key: p.message_id })}
        empty="No notification sent to this device yet."
        columns={(c) => [
          c.ago("Sent", (p) => p.sent_at),
          {
            header: "Notification",
            cell: (p) => (
              <>
                <strong>{p.title}</strong>
                <div className="muted">{p.body}</div>
              </>
            ),
            csv: (p) => `${p.title}: ${p.body}`,
          },
          {
            header: "By",
            cell: (p) => p.created_by_username ?? p.created_by ?? "—",
            csv: (p) => p.created_by_username,
          },
          c.status("Status", (p) => p.status),
          {
            header: "Delivery",
            cell: (p) =>
              p.error_message ? (
                <span className="error-text">{p.error_message}</span>
              ) : p.latency_ms !== null ? (
                `after ${formatDuration(p.latency_ms)}`
              ) : p.fetched_at ? (
                "picked up"
              ) : (
                <span className="muted">waiting for the device</span>
              ),
            csv: (p) => p.latency_ms ?? p.error_message,
          },
        ]}
      />
    </Card>
  );
}
