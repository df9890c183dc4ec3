import { type ApiClient, detailOf } from "./api-client.ts";
import { CliError } from "./cli-error.ts";

/** The address of the n-th user a traffic run signs up: `traffic-<run id>-<n>@example.com`. */
export const trafficEmail = (runId: string, n: number) => `traffic-${runId}-${n}@example.com`;
const TRAFFIC_USER = /^traffic-[0-9a-f]{6}-\d+@example\.com$/;

/**
 * Disables (admin) the users traffic runs signed up: those of one run (`runId`), or of every run. Users are
 * never deleted (their activity and audit rows name them); disabled, they cannot sign in and the Users page
 * shows them as such. Answers the e-mails disabled.
 */
export async function disableTrafficUsers(admin: ApiClient, runId?: string): Promise<string[]> {
  const res = await admin.call("GET /users", {});
  if (!res.ok || res.status !== 200) throw new CliError(`cannot list users (${res.status}): ${detailOf(res.body)}`);
  const mine = (email: string) =>
    TRAFFIC_USER.test(email) && (runId === undefined || email.startsWith(`traffic-${runId}-`));
  const disabled: string[] = [];
  for (const user of res.body.users ?? []) {
    if (!user.is_active || !mine(user.email)) continue;
    const patch = await admin.call("PATCH /users/{user_id}", {
      params: { user_id: user.id },
      body: { is_active: false },
    });
    if (patch.status !== 200)
      throw new CliError(`cannot disable ${user.email} (${patch.status}): ${detailOf(patch.body)}`);
    disabled.push(user.email);
  }
  return disabled;
}
