import { useState } from "react";
import { Card, PageHeader, Tabs } from "../components/ui/index.tsx";
import { AlertsTable } from "../features/alerts/alerts-table.tsx";
import { ChannelsCard } from "../features/alerts/channels-card.tsx";
import { RulesCard } from "../features/alerts/rules-card.tsx";
import { useCan } from "../lib/auth.tsx";

type Tab = "alerts" | "rules" | "channels";

/** Alerts with filters; the rules that raise them; for admins, where notifications go. */
export default function AlertsPage() {
  const isAdmin = useCan("admin");
  const [tab, setTab] = useState<Tab>("alerts");
  const tabs: Tab[] = isAdmin ? ["alerts", "rules", "channels"] : ["alerts", "rules"];
  return (
    <>
      <PageHeader title="Alerts" subtitle="What needs attention, the rules that say so, and who gets told" />
      <Tabs tabs={tabs} value={tab} onChange={setTab} idPrefix="alerts" />
      {tab === "alerts" && (
        <Card title="Alerts">
          <AlertsTable />
        </Card>
      )}
      {tab === "rules" && <RulesCard />}
      {tab === "channels" && isAdmin && <ChannelsCard />}
    </>
  );
}
