import { PERMISSION_KEYS } from "@homepot/contracts/permissions";
import { useState } from "react";
import { Button, Card, ErrorMessage, Field, Input, Loadable } from "../../components/ui/index.tsx";
import { ApiError, patch, post } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useEndpoint } from "../../lib/use-api.ts";

const LABELS: Record<string, string> = {
  root_access: "Root access",
  command_execution: "Command execution (terminal)",
  process_monitoring: "Process monitoring",
  filesystem_access: "Filesystem access",
  network_monitoring: "Network monitoring",
};

/**
 * What the device's owner allows: operators see it and may ask for a grant (a request_permission command the
 * device's owner answers); an admin may override, with a reason that goes into the audit log.
 */
export function PermissionsPanel({ deviceId }: { deviceId: string }) {
  const isAdmin = useCan("admin");
  const state = useEndpoint(
    "GET /devices/device/{device_id}/permissions",
    { params: { device_id: deviceId } },
    { pollMs: 5_000 },
  );
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ApiError>();
  const [note, setNote] = useState<string>();

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setError(undefined);
    setNote(undefined);
    try {
      await fn();
      setNote(done);
      state.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    }
  };
  const ask = (permission: string) =>
    act(
      () =>
        post(`/devices/${encodeURIComponent(deviceId)}/commands`, {
          command_type: "request_permission",
          payload: { permission },
        }),
      `Asked the device's owner for ${permission}`,
    );
  const override = (permission: string, value: boolean) =>
    act(
      () =>
        patch(`/devices/device/${encodeURIComponent(deviceId)}/permissions/admin-override`, {
          permissions: { [permission]: value },
          reason: reason || undefined,
        }),
      `${permission} ${value ? "granted" : "revoked"} by admin override`,
    );

  return (
    <Card title="Owner's consent" id="device-permissions">
      <Loadable state={state} what="The grants">
        {({ data }) => (
          <>
            <p className="muted">
              The device's owner grants or revokes on the device itself, with the agent's command line. OS:{" "}
              {data.os_family ?? "unknown (nothing can be granted until the agent reports it)"}
              {data.updated_at ? ` · last changed ${formatDateTime(data.updated_at)} (${data.updated_via})` : ""}
            </p>
            <table className="table" id="permissions-table">
              <thead>
                <tr>
                  <th>Grant</th>
                  <th>Granted</th>
                  <th>OS supports it</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {PERMISSION_KEYS.map((k) => (
                  <tr key={k} data-permission={k}>
                    <td>{LABELS[k]}</td>
                    <td>{data.permissions[k] ? <strong>granted</strong> : <span className="muted">no</span>}</td>
                    <td>{data.capabilities[k] ? "yes" : <span className="muted">no</span>}</td>
                    <td className="row">
                      {!data.permissions[k] && data.capabilities[k] && (
                        <Button id={`ask-${k}`} variant="ghost" onClick={() => ask(k)}>
                          Ask the owner
                        </Button>
                      )}
                      {isAdmin && data.capabilities[k] && (
                        <Button id={`override-${k}`} variant="ghost" onClick={() => override(k, !data.permissions[k])}>
                          Override: {data.permissions[k] ? "revoke" : "grant"}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {isAdmin && (
              <Field label="Reason for an override (audited)">
                {(id) => <Input id={id} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />}
              </Field>
            )}
          </>
        )}
      </Loadable>
      {note && <p id="permissions-note">{note}</p>}
      <ErrorMessage error={error} what="Changing the grants" />
    </Card>
  );
}
