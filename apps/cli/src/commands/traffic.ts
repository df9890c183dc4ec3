import { operatorCredentials, parseDuration, serverOptions, signedInClient } from "../lib/api-client.ts";
import { parseCommand, runOptions } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { print, printJson } from "../lib/output.ts";
import { ProgressBar } from "../lib/progress.ts";
import { disableTrafficUsers } from "../lib/traffic-cleanup.ts";
import { runTraffic } from "../lib/traffic-generator.ts";

export const summary = "generate realistic dashboard traffic (users, page views, API calls, errors) against a server";

const HELP = `Usage: homepot traffic --server URL [--duration 60s] [--users N] [--pace X] [--email E --password P]
                       [--jobs] [--keep-users] [--seed S] [--json] [--quiet]
       homepot traffic --cleanup --server URL --email ADMIN --password P [--json]

Signs up N users (default 4) and browses like people do: page views with the dashboard's API calls,
clicks, searches, form submits (sent in batches to /api/v1/analytics/user-activity), occasional client
errors (404, bad bodies, expired sessions) and frontend errors (/api/v1/analytics/errors). With an
operator or admin account (--email/--password or HOMEPOT_ADMIN_EMAIL/HOMEPOT_ADMIN_PASSWORD) one more
user opens the admin analytics pages. --pace scales think time (0.1 = ten times faster).
--jobs lets that operator/admin start jobs from the jobs page (config rollouts, restarts, health checks) on
the server's real sites, about one a minute; without it the run creates no job.
The users it signs up are named traffic-<run>-<n>@example.com; at the end the admin account disables them
(--keep-users leaves them). --cleanup runs no traffic: it disables every such user left by earlier runs.
--seed makes a run repeatable. Progress goes to stderr (--quiet/-q hides it); the summary to stdout
(--json: as JSON).`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, HELP, {
    ...serverOptions,
    duration: { type: "string", default: "60s" },
    users: { type: "string", default: "4" },
    pace: { type: "string", default: "1" },
    seed: { type: "string" },
    jobs: { type: "boolean" },
    "keep-users": { type: "boolean" },
    ...runOptions,
  });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  if (values.cleanup) return cleanup(values);
  const durationMs = parseDuration(values.duration, "--duration");
  const users = Number(values.users);
  if (!Number.isInteger(users) || users < 0 || users > 200)
    throw new CliError("--users must be an integer from 0 to 200", 2);
  const pace = Number(values.pace);
  if (!(pace > 0 && pace <= 100)) throw new CliError("--pace must be a number above 0 (e.g. 0.2)", 2);
  const admin = operatorCredentials(values);
  if (users === 0 && !admin) throw new CliError("nothing to do: --users 0 and no admin account", 2);

  const bar = new ProgressBar("traffic", !values.quiet);
  const result = await runTraffic({
    server: values.server,
    durationMs,
    users,
    admin,
    pace,
    jobs: values.jobs === true,
    keepUsers: values["keep-users"] === true,
    seed: values.seed,
    onProgress: (elapsed, s) =>
      bar.update(
        elapsed / durationMs,
        `${Math.round(elapsed / 1000)}s/${Math.round(durationMs / 1000)}s  users ${s.users}  requests ${s.requests}  activities ${s.activitiesRecorded}  errors ${s.frontendErrorsReported}`,
      ),
  });
  bar.done(
    `requests ${result.requests}  activities ${result.activitiesRecorded}  errors ${result.frontendErrorsReported}`,
  );
  if (result.users === 0)
    throw new CliError(
      `no user could sign in at ${values.server} (requests: ${JSON.stringify(result.requestsByClass)})`,
    );
  if (values.json) {
    printJson(result);
    return 0;
  }
  print(`users signed in      ${result.users}`);
  print(`sessions             ${result.sessions}`);
  print(`page views           ${result.pageViews}`);
  print(
    `API requests         ${result.requests} (${Object.entries(result.requestsByClass)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`,
  );
  print(`activities recorded  ${result.activitiesRecorded}`);
  print(`frontend errors      ${result.frontendErrorsReported}`);
  print(`client errors made   ${result.clientErrorsMade}`);
  print(`jobs created         ${result.jobsCreated}${values.jobs ? "" : " (--jobs to create some)"}`);
  print(`users disabled       ${result.usersDisabled} (signed up by this run)`);
  if (result.usersLeft.length > 0)
    print(
      `users left enabled   ${result.usersLeft.length}: ${values["keep-users"] ? "--keep-users" : "no admin account to disable them"} (\`homepot traffic --cleanup\` disables them)`,
    );
  return 0;
}

/** `homepot traffic --cleanup`: disables the users earlier runs signed up. */
async function cleanup(values: { server: string; email?: string; password?: string; json?: boolean }): Promise<number> {
  const { client } = await signedInClient(values, "homepot-traffic", "an admin account is needed");
  const disabled = await disableTrafficUsers(client);
  if (values.json) printJson({ users_disabled: disabled });
  else print(`users disabled       ${disabled.length}`);
  return 0;
}
