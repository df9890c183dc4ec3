import { type FormEvent, useState } from "react";
import { DataTable } from "../../components/data-table.tsx";
import { Button, Card, ErrorMessage, Field, Input, StatusBadge, TextArea } from "../../components/ui/index.tsx";
import { ApiError, type ListResponse, post } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime, formatDuration, timeAgo } from "../../lib/format.ts";
import { useApi } from "../../lib/use-api.ts";

interface PushLog {
  message_id: string;
  title: string;
  body: string;
  status: string;
  created_by: string | null;
  created_by_username: string | null;
  sent_at: string;
  fetched_at: string | null;
  received_at: string | null;
  latency_ms: number | null;
  error_message: string | null;
}

/** Send a notification to the device (operators) and follow its delivery: sent → delivered | failed | expired. */
export function PushPanel({ deviceId }: { deviceId: string }) {
  const canSend = useCan("operator");
  const logs = useApi<ListResponse<"push_logs", PushLog>>(
    `/devices/device/${encodeURIComponent(deviceId)}/push-logs`,
    { limit: 50 },
    { pollMs: 3_000 },
  );
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [data, setData] = useState("");
  const [ttl, setTtl] = useState(3600);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    let parsed: unknown;
    if (data.trim()) {
      try {
        parsed = JSON.parse(data);
      } catch {
        setError(
          new ApiError(422, "data is not valid JSON", [{ field: "data", location: "body", message: "not valid JSON" }]),
        );
        return;
      }
    }
    setBusy(true);
    try {
      await post(`/agents/${encodeURIComponent(deviceId)}/push`, {
        title,
        body,
        ttl,
        ...(parsed ? { data: parsed } : {}),
      });
      setTitle("");
      setBody("");
      logs.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Push notifications" id="device-push">
      {canSend && (
        <form className="form" id="push-form" onSubmit={send}>
          <div className="filters">
            <Field label="Title">
              {(id) => (
                <Input id={id} name="title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
              )}
            </Field>
            <Field label="Time to live (s)">
              {(id) => (
                <Input
                  id={id}
                  name="ttl"
                  type="number"
                  min={1}
                  max={604800}
                  value={ttl}
                  onChange={(e) => setTtl(Number(e.target.value) || 3600)}
                />
              )}
            </Field>
          </div>
          <Field label="Message">
            {(id) => (
              <TextArea
                id={id}
                name="body"
                rows={2}
                value={body}
                maxLength={2000}
                onChange={(e) => setBody(e.target.value)}
              />
            )}
          </Field>
          <Field label="Data (JSON, optional)">
            {(id) => <TextArea id={id} name="data" rows={2} value={data} onChange={(e) => setData(e.target.value)} />}
          </Field>
          <Button id="push-send" type="submit" variant="primary" disabled={busy}>
            {busy ? "Sending…" : "Send notification"}
          </Button>
          <ErrorMessage error={error} what="Sending the notification" />
        </form>
      )}
      <DataTable
        id="push-logs-table"
        what="Push history"
        rows={logs.data?.push_logs}
        error={logs.error}
        rowKey={(p) => p.message_id}
        empty="No notification sent to this device yet."
        columns={[
          {
            header: "Sent",
            cell: (p) => <span title={formatDateTime(p.sent_at)}>{timeAgo(p.sent_at)}</span>,
            csv: (p) => p.sent_at,
          },
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
          { header: "Status", cell: (p) => <StatusBadge status={p.status} />, csv: (p) => p.status },
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
