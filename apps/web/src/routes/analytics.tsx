import { useSearchParams } from "react-router";
import { Card, PageHeader, Tabs } from "../components/ui/index.tsx";
import { AuditLogPanel, UserActivityPanel } from "../features/analytics/activity-panels.tsx";
import { ErrorsPanel } from "../features/analytics/errors-panel.tsx";
import { RequestsPanel } from "../features/analytics/requests-panel.tsx";
import { useCan } from "../lib/auth.tsx";

type Tab = "requests" | "errors" | "activity" | "audit";
/** API requests, user activity and the audit log are platform-wide (platform admins'); errors are per site. */
const ALL_TABS: { id: Tab; label: string; platform: boolean }[] = [
  { id: "requests", label: "API requests", platform: true },
  { id: "errors", label: "Errors", platform: false },
  { id: "activity", label: "User activity", platform: true },
  { id: "audit", label: "Audit log", platform: true },
];

export default function AnalyticsPage() {
  const [params, setParams] = useSearchParams();
  const platform = useCan("platform");
  const TABS = ALL_TABS.filter((t) => platform || !t.platform);
  const tab = TABS.find((t) => t.id === params.get("tab"))?.id ?? TABS[0]?.id ?? "errors";
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
