import { ActionButton } from "../../components/action-button.tsx";
import { ErrorMessage, StatusBadge } from "../../components/ui/index.tsx";
import { del, post } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import type { Site } from "../../lib/types.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";

const path = (siteId: string) => `/sites/${encodeURIComponent(siteId)}`;

/** Purge (admins): the site and every row of its devices, after a confirmation. */
function PurgeSiteButton({ site, onPurged }: { site: Site; onPurged: () => void }) {
  const action = useAction();
  return (
    <>
      <ActionButton
        className="site-purge"
        variant="danger"
        action={action}
        run={() => del(`${path(site.site_id)}?mode=purge&confirm=true`)}
        confirm={`Purge site ${site.site_id}? This deletes it, its devices and all their data for good.`}
        onDone={onPurged}
      >
        Purge
      </ActionButton>
      <ErrorMessage error={action.error} what="This change" />
    </>
  );
}

/** Restore and (admins) purge for a site in the Archived tab. */
export function ArchivedSiteActions({ site, onChanged }: { site: Site; onChanged: () => void }) {
  const canRestore = useCan("operator");
  const canPurge = useCan("admin");
  const action = useAction(onChanged);
  if (!canRestore) return null;
  return (
    <span className="row-actions">
      <ActionButton
        className="site-restore"
        action={action}
        run={() => post(`${path(site.site_id)}/restore`)}
        confirm={`Restore site ${site.site_id}? Its devices stay suspended until resumed.`}
      >
        Restore
      </ActionButton>
      {canPurge && <PurgeSiteButton site={site} onPurged={onChanged} />}
      <ErrorMessage error={action.error} what="This change" />
    </span>
  );
}

/**
 * The site page's lifecycle: its status (online / warning / offline from its devices) and archived badge, then
 * for operators archive or restore and "resume all" suspended devices, for admins purge. Each asks first.
 */
export function SiteLifecycle({
  site,
  onChanged,
  onGone,
}: {
  site: Site;
  onChanged: () => void;
  /** The site was purged. */
  onGone: () => void;
}) {
  const canAct = useCan("operator");
  const canPurge = useCan("admin");
  // The counts behind the actions (an installer, who has none, may not read them).
  const stats = useEndpoint("GET /sites/{site_id}/stats", canAct ? { params: { site_id: site.site_id } } : null, {
    pollMs: 30_000,
  });
  const action = useAction(() => {
    onChanged();
    stats.reload();
  });
  const id = site.site_id;
  const archived = site.lifecycle_state === "archived";
  const suspended = stats.data?.lifecycle_counts.suspended ?? 0;
  return (
    <span className="row" id="site-lifecycle">
      <span id="site-status" title="online: an active device heartbeated within 2 minutes; warning: one in error">
        <StatusBadge status={stats.data?.status} />
      </span>
      {archived && <StatusBadge status="archived" />}
      {canAct && !archived && (
        <ActionButton
          id="site-archive"
          action={action}
          run={() => del(path(id))}
          confirm={`Archive site ${id}? Its data is kept and its devices are suspended.`}
        >
          Archive
        </ActionButton>
      )}
      {canAct && archived && (
        <ActionButton
          id="site-restore"
          action={action}
          run={() => post(`${path(id)}/restore`)}
          confirm={`Restore site ${id}? Its devices stay suspended until resumed.`}
        >
          Restore
        </ActionButton>
      )}
      {canAct && !archived && suspended > 0 && (
        <ActionButton
          id="site-resume-all"
          action={action}
          run={() => post(`${path(id)}/devices/resume`)}
          confirm={`Resume all ${suspended} suspended device(s) of ${id}?`}
        >
          Resume all ({suspended})
        </ActionButton>
      )}
      {canPurge && <PurgeSiteButton site={site} onPurged={onGone} />}
      <ErrorMessage error={action.error} what="This change" />
    </span>
  );
}
