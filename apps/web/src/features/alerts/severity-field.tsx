import { ALERT_SEVERITIES } from "@homepot/contracts/alerts";
import { SelectField } from "../../components/ui/index.tsx";

export type Severity = (typeof ALERT_SEVERITIES)[number];

/** Picks one of the contract's alert severities (a rule's severity, a channel's lowest one). */
export function SeverityField(props: { label: string; name: string; value: Severity; onValue: (v: Severity) => void }) {
  return <SelectField {...props} options={ALERT_SEVERITIES} />;
}
