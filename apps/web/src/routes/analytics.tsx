import { useSearchParams } from "react-router";
import { Card, PageHeader, Tabs } from "../components/ui/index.tsx";
import { AuditLogPanel, UserActivityPanel } from "../features/analytics/activity-panels.tsx";
import { ErrorsPanel } from "../features/analytics/errors-panel.tsx";
import { RequestsPanel } from "../features/analytics/requests-panel.tsx";

type Tab = "requests" | "errors" | "activity" | "audit";
const TABS: { id: Tab; label: string }[] = [
  { id: "requests", label: "API requests" },
  { id: "errors", label: "Errors" },
  { id: "activity", label: "User activity" },
  { id: "audit", label: "Audit log" },
];

export default function AnalyticsPage() {
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((t) => t.id === params.get("tab"))?.id ?? "requests";
  return (
    <>
      <PageHeader title="Analytics" subtitle="How the API, the dashboard and its users behave" />
      <Tabs idPrefix="analytics" tabs={TABS} value={tab} onChange={(t) => setParams({ tab: t }, { replace: true })} />
      <Card>
        {tab === "requests" && <RequestsPanel />}
        {tab === "errors" && <ErrorsPanel />}
        {tab === "activity" && <UserActivityPanel />}
        {tab === "audit" && <AuditLogPanel />}
      </Card>
    </>
  );
}
