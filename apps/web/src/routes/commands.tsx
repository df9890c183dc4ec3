import { useState } from "react";
import { useSearchParams } from "react-router";
import { PageHeader, Tabs } from "../components/ui/index.tsx";
import type { TemplateDraft } from "../features/commands/command-types.ts";
import { CommandHistoryCard } from "../features/commands/history-card.tsx";
import { CommandTemplatesCard } from "../features/commands/templates-card.tsx";

type Tab = "history" | "templates";

/** Every command sent to the fleet, and the saved templates to send more. */
export default function CommandsPage() {
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get("tab") === "templates" ? "templates" : "history";
  const [draft, setDraft] = useState<TemplateDraft>();
  const show = (t: Tab) => setParams(t === "history" ? {} : { tab: t }, { replace: true });
  return (
    <>
      <PageHeader
        title="Commands"
        subtitle="What was sent to which device, by whom, and how it ended; saved templates"
      />
      <Tabs tabs={["history", "templates"]} value={tab} onChange={show} idPrefix="commands" />
      {tab === "history" ? (
        <CommandHistoryCard
          onSaveAsTemplate={(d) => {
            setDraft(d);
            show("templates");
          }}
        />
      ) : (
        <CommandTemplatesCard draft={draft} onDraft={setDraft} />
      )}
    </>
  );
}
