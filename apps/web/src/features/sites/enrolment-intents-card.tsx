import { type FormEvent, useState } from "react";
import { DataTable, rowsOf } from "../../components/data-table.tsx";
import {
  Button,
  Card,
  Checkbox,
  CopyButton,
  ErrorMessage,
  StatusBadge,
  TextField,
} from "../../components/ui/index.tsx";
import { useForm } from "../../components/ui/use-form.ts";
import { post, put } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { formatDateTime } from "../../lib/format.ts";
import type { EnrolmentIntent } from "../../lib/types.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";

/** A site's enrolment intents (claim tokens) with their state; installers, operators and admins create, approve, reject, revoke, regenerate. */
export function EnrolmentIntentsCard({ siteId }: { siteId: string }) {
  const canEdit = useCan("installer");
  const path = `/sites/${encodeURIComponent(siteId)}/enrolment-intents`;
  const intents = useEndpoint("GET /sites/{site_id}/enrolment-intents", {
    params: { site_id: siteId },
    query: { limit: 100 },
  });
  const action = useAction();
  const { form, bind, check } = useForm(
    { device_name: "", expected_device_identity: "", expires_in_hours: "48", approval: false },
    action.error,
  );
  const [token, setToken] = useState<{ intentId: string; token: string }>();

  // The list reloads after a change that went through.
  const act = (run: () => Promise<unknown>) =>
    action.run(async () => {
      await run();
      intents.reload();
    });
  const create = (e: FormEvent) => {
    e.preventDefault();
    return act(async () => {
      const res = await post<{ intent_id: string; claim_token: string }>(path, {
        device_name: form.device_name || null,
        expected_device_identity: form.expected_device_identity || null,
        expires_in_hours: Number(form.expires_in_hours),
        requires_approval: form.approval,
      });
      setToken({ intentId: res.intent_id, token: res.claim_token });
    });
  };
  const decide = (i: EnrolmentIntent, status: "approved" | "rejected" | "revoked") =>
    act(() => put(`${path}/${i.intent_id}`, { status }));
  const regenerate = (i: EnrolmentIntent) =>
    act(async () => {
      const res = await post<{ claim_token: string }>(`${path}/${i.intent_id}/regenerate-token`);
      setToken({ intentId: i.intent_id, token: res.claim_token });
    });

  return (
    <Card title="Enrolment intents" id="site-intents">
      {token && (
        <div className="alert alert-ok" role="status">
          Claim token for <span className="mono">{token.intentId}</span>, shown once:{" "}
          <code id="claim-token-value">{token.token}</code> <CopyButton text={token.token} id="claim-token-copy" />
          <div className="muted">
            On the device: <code>HOMEPOT_CLAIM_TOKEN=… homepot-agent claim --server URL --intent {token.intentId}</code>
          </div>
        </div>
      )}
      <ErrorMessage error={action.error} what="The enrolment intent" />
      {canEdit && (
        <form className="form form-inline" onSubmit={create} id="intent-form">
          <TextField {...bind("device_name")} label="Device name" />
          <TextField {...bind("expected_device_identity")} label="Expected identity (serial, machine id)" />
          <TextField {...bind("expires_in_hours")} label="Expires in (hours)" type="number" />
          <Checkbox name="requires_approval" {...check("approval")} label="Needs approval" />
          <Button id="intent-create" type="submit" variant="primary">
            New intent
          </Button>
        </form>
      )}
      <DataTable
        id="site-intents-table"
        what={`Enrolment intents of ${siteId}`}
        rows={rowsOf(intents, (d) => d.intents)}
        row={(i) => ({ key: i.intent_id })}
        empty="No enrolment intents at this site."
        columns={(c) => [
          {
            header: "Intent",
            cell: (i) => <span className="mono">{i.intent_id.slice(0, 8)}</span>,
            csv: (i) => i.intent_id,
          },
          { header: "Name", cell: (i) => i.device_name ?? "", csv: (i) => i.device_name },
          { header: "Status", cell: (i) => <StatusBadge status={i.status} />, csv: (i) => i.status },
          { header: "Expires", cell: (i) => formatDateTime(i.expires_at), csv: (i) => i.expires_at },
          { header: "Device", cell: (i) => i.device_id ?? "", csv: (i) => i.device_id },
          c.actions(
            (i) =>
              canEdit && (
                <span className="row-actions">
                  {i.status === "pending" && <Button onClick={() => decide(i, "approved")}>Approve</Button>}
                  {i.status === "pending" && <Button onClick={() => decide(i, "rejected")}>Reject</Button>}
                  {(i.status === "pending" || i.status === "approved") && (
                    <>
                      <Button onClick={() => regenerate(i)}>New token</Button>
                      <Button variant="danger" onClick={() => decide(i, "revoked")}>
                        Revoke
                      </Button>
                    </>
                  )}
                </span>
              ),
          ),
        ]}
      />
    </Card>
  );
}
