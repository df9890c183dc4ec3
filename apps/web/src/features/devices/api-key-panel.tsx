import { useState } from "react";
import { Button, Card, CopyButton, ErrorMessage } from "../../components/ui/index.tsx";
import { del, post } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime } from "../../lib/format.ts";
import type { Device } from "../../lib/types.ts";
import { useAction } from "../../lib/use-action.ts";

/** A value to copy into a device (its key, the commands to run): the value, `block` for several lines, and Copy. */
function Secret({
  id,
  copyId = `${id}-copy`,
  value,
  block,
}: {
  id: string;
  copyId?: string;
  value: string;
  block?: boolean;
}) {
  return (
    <div className="secret">
      {block ? <pre id={id}>{value}</pre> : <code id={id}>{value}</code>}
      <CopyButton id={copyId} text={value} />
    </div>
  );
}

/**
 * The commands that turn a machine into this device with homepot-agent: store the key (from the environment,
 * so it is not left in a process list), then run the agent.
 */
export function AgentSetup({ apiKey, deviceId, siteId }: { apiKey: string; deviceId: string; siteId: string }) {
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const command = [
    `HOMEPOT_DEVICE_API_KEY=${quote(apiKey)} npx homepot-agent register --server ${quote(window.location.origin)} --site ${quote(siteId)} --device-id ${quote(deviceId)}`,
    "npx homepot-agent run",
  ].join("\n");
  return (
    <div className="form" id="agent-setup">
      <strong>Connect the device</strong>
      <small className="muted">
        On the device, in a checkout of HOMEPOT (or wherever homepot-agent is installed), run:
      </small>
      <Secret id="agent-command" value={command} block />
      <small className="muted">
        Until it first reports, the device is waiting for first contact. See apps/agent/README.md for the systemd unit.
      </small>
    </div>
  );
}

/** Shows a freshly issued key once, with a copy button; it cannot be fetched again. */
export function OneTimeKey({ apiKey, deviceId, note }: { apiKey: string; deviceId: string; note?: string }) {
  return (
    <div className="form" id="api-key-once">
      <div className="alert alert-warn">
        Copy this key now: it is shown only once and the server keeps only its hash. {note}
      </div>
      <Secret id="api-key-value" copyId="api-key-copy" value={apiKey} />
      <small className="muted">
        The device sends it as <code>X-API-Key</code> with <code>X-Device-ID: {deviceId}</code>.
      </small>
    </div>
  );
}

export function ApiKeyPanel({
  device,
  onChanged,
}: {
  device: Device & { api_key_prefix?: string | null; api_key_created_at?: string | null };
  onChanged: () => void;
}) {
  const canManage = useCan("operator");
  const [fresh, setFresh] = useState<{ key: string; graceUntil: string | null }>();
  const action = useAction();
  const id = encodeURIComponent(device.device_id);
  // The device is refetched only after a change went through.
  const run = (fn: () => Promise<void>, confirm?: string) =>
    action.run(
      async () => {
        await fn();
        onChanged();
      },
      { confirm },
    );

  return (
    <Card title="API key" id="device-api-key">
      <dl className="props">
        <dt>Current key</dt>
        <dd>
          {device.api_key_prefix ? (
            <code>{device.api_key_prefix}…</code>
          ) : (
            <span className="muted">none (revoked)</span>
          )}
        </dd>
        <dt>Issued</dt>
        <dd>{formatDateTime(device.api_key_created_at)}</dd>
      </dl>
      {fresh && (
        <OneTimeKey
          apiKey={fresh.key}
          deviceId={device.device_id}
          note={
            fresh.graceUntil ? `The previous key keeps working until ${formatDateTime(fresh.graceUntil)}.` : undefined
          }
        />
      )}
      <ErrorMessage error={action.error} what="Changing the key" />
      {canManage && (
        <div className="row">
          <Button
            id="rotate-key"
            disabled={action.pending}
            onClick={() =>
              run(async () => {
                const res = await post<{ api_key: string; previous_key_valid_until?: string | null }>(
                  `/devices/${id}/api-key/rotate`,
                );
                setFresh({ key: res.api_key, graceUntil: res.previous_key_valid_until ?? null });
              })
            }
          >
            Rotate key
          </Button>
          <Button
            id="revoke-key"
            variant="danger"
            disabled={action.pending}
            onClick={() =>
              run(async () => {
                await del(`/devices/${id}/api-key`);
                setFresh(undefined);
              }, `Revoke the API key of ${device.device_id}? The device will be locked out until a new key is issued.`)
            }
          >
            Revoke key
          </Button>
        </div>
      )}
    </Card>
  );
}
