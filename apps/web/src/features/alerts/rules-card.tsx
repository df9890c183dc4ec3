import { columnIf } from "../../components/column-if.ts";
import { DataTable, rowsOf } from "../../components/data-table.tsx";
import { Button, Card, ErrorMessage } from "../../components/ui/index.tsx";
import { useRowEditor } from "../../components/use-row-editor.ts";
import { call } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { useOwners } from "./owners.tsx";
import { RuleEditor } from "./rule-editor.tsx";

function describe(c: Record<string, unknown>): string {
  const parts = Object.entries(c)
    .filter(([k]) => k !== "type")
    .map(([k, v]) => `${k.replaceAll("_", " ")} ${String(v)}`);
  return `${String(c.type).replaceAll("_", " ")}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

/**
 * The alert rules: everyone reads those they see (their tenants' and the platform-wide ones covering their sites);
 * admins add, edit, switch on and off and delete their tenant's, platform admins every one.
 */
export function RulesCard() {
  const rules = useEndpoint("GET /alerts/rules", {});
  const isAdmin = useCan("admin");
  const owners = useOwners();
  const action = useAction(rules.reload);
  const { edited, edit, cancel, save } = useRowEditor(rules.data?.rules, action);
  return (
    <Card title="Rules">
      <ErrorMessage error={action.error} what="The change" />
      {isAdmin && !edited && owners.picker}
      {isAdmin && (
        <RuleEditor
          key={edited?.id ?? "new"}
          rule={edited}
          onCancel={cancel}
          onSave={(body) =>
            save(() =>
              edited
                ? call("PUT /alerts/rules/{id}", { params: { id: edited.id }, body })
                : call("POST /alerts/rules", { body: { ...body, tenant_id: owners.tenantId } }),
            )
          }
        />
      )}
      <DataTable
        id="rules-table"
        what="The rules"
        rows={rowsOf(rules, (d) => d.rules)}
        row={(r) => ({ key: r.id, "data-rule": r.name })}
        empty="No rules."
        columns={(c) => [
          {
            header: "Rule",
            cell: (r) => (
              <>
                {r.name}
                {r.builtin && <span className="badge">built in</span>}
                {!owners.showOwner && r.tenant_id === null && <span className="badge">platform-wide</span>}
                {r.description && <div className="muted">{r.description}</div>}
              </>
            ),
          },
          ...owners.ownerColumn,
          { header: "Condition", cell: (r) => describe(r.condition) },
          { header: "Severity", cell: (r) => r.severity },
          { header: "Open alerts", cell: (r) => r.open_alerts },
          {
            header: "Enabled",
            cell: (r) =>
              owners.manages(r.tenant_id) ? (
                <Button
                  aria-label={`${r.enabled ? "Disable" : "Enable"} ${r.name}`}
                  onClick={() =>
                    void action.run(() =>
                      call("PUT /alerts/rules/{id}", { params: { id: r.id }, body: { enabled: !r.enabled } }),
                    )
                  }
                >
                  {r.enabled ? "On" : "Off"}
                </Button>
              ) : r.enabled ? (
                "on"
              ) : (
                "off"
              ),
          },
          ...columnIf(
            isAdmin,
            c.actions(
              (r) =>
                owners.manages(r.tenant_id) && (
                  <>
                    <Button aria-label={`Edit ${r.name}`} onClick={() => edit(r.id)}>
                      Edit
                    </Button>
                    {!r.builtin && (
                      <Button
                        variant="danger"
                        aria-label={`Delete ${r.name}`}
                        onClick={() =>
                          void action.run(() => call("DELETE /alerts/rules/{id}", { params: { id: r.id } }), {
                            confirm: `Delete the rule "${r.name}"? Its alerts stay, as history.`,
                          })
                        }
                      >
                        Delete
                      </Button>
                    )}
                  </>
                ),
            ),
          ),
        ]}
      />
    </Card>
  );
}
