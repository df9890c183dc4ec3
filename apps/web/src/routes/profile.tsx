import { Card, PageHeader, StatusBadge } from "../components/ui/index.tsx";
import { ApiTokensCard } from "../features/profile/api-tokens-card.tsx";
import { SessionsCard } from "../features/profile/sessions-card.tsx";
import { useAuth } from "../lib/auth.tsx";
import { formatDateTime } from "../lib/format.ts";

export default function ProfilePage() {
  const { user } = useAuth();
  if (!user) return null;
  return (
    <>
      <PageHeader title="Profile" subtitle="Your account on this HOMEPOT server" />
      <Card title="Account">
        <dl className="props">
          <dt>Username</dt>
          <dd>{user.username}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Full name</dt>
          <dd>{user.full_name ?? "—"}</dd>
          <dt>Role</dt>
          <dd>
            <StatusBadge status={user.role} />
          </dd>
          <dt>Active</dt>
          <dd>{user.is_active ? "yes" : "no"}</dd>
          <dt>Member since</dt>
          <dd>{formatDateTime(user.created_at)}</dd>
          <dt>Last sign-in</dt>
          <dd>{formatDateTime(user.last_login_at)}</dd>
        </dl>
      </Card>
      <Card title="What you can do">
        <ul>
          <li>Viewers see the fleet, sites, devices, jobs and insights.</li>
          <li>Operators also register devices, send commands, edit schedules and run jobs.</li>
          <li>Admins also see analytics, errors, the audit log and the data-collection report.</li>
        </ul>
      </Card>
      <SessionsCard />
      <ApiTokensCard />
    </>
  );
}
