import type { FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import {
  Button,
  Card,
  Checkbox,
  ErrorMessage,
  PageHeader,
  SelectField,
  TextAreaField,
  TextField,
} from "../components/ui/index.tsx";
import { useForm } from "../components/ui/use-form.ts";
import { SuggestStart, toLocalInput } from "../features/jobs/suggest-start.tsx";
import type { JobView } from "../features/jobs/types.ts";
import { parseJsonField, post, type WriteResponse } from "../lib/api.ts";
import { siteOptions } from "../lib/site-options.ts";
import { useAction } from "../lib/use-action.ts";
import { useEndpoint } from "../lib/use-api.ts";

type Target = "site" | "segment" | "devices";
const RELEASE_TYPE: Record<string, "software" | "firmware" | undefined> = {
  software_update: "software",
  firmware_update: "firmware",
};
type When = "now" | "at" | "maintenance";

/** "1, 25%, 100%" → [1, "25%", "100%"] */
function parseBatches(s: string): (number | string)[] {
  return s
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

export default function NewJobPage() {
  const navigate = useNavigate();
  // A release's "Roll out" link opens the form with its job type, release and action filled in.
  const [prefill] = useSearchParams();
  const sites = useEndpoint("GET /sites", { query: { limit: 1000 } });
  const creating = useAction();
  const { error, pending: busy } = creating;
  const {
    form: f,
    patch,
    fieldError,
    bind,
    check,
  } = useForm(
    {
      action: prefill.get("action") ?? "",
      job_type: prefill.get("job_type") ?? "config_update",
      release_id: prefill.get("release_id") ?? "",
      description: "",
      priority: "normal",
      target: "site" as Target,
      site_id: "",
      segment: "pos-terminals",
      device_ids: "",
      config_url: "",
      config_version: "",
      payload: "",
      when: "now" as When,
      at: "",
      staged: false,
      batches: "1, 50%, 100%",
      pause_s: "0",
      error_threshold: "0.5",
      rollback_on_degradation: false,
    },
    error,
  );
  const releaseType = RELEASE_TYPE[f.job_type];
  const releases = useEndpoint(
    "GET /releases",
    releaseType ? { query: { release_type: releaseType, status: "active", limit: 200 } } : null,
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void creating.run(() => create());
  };

  const create = async () => {
    const payload = parseJsonField(f.payload, "payload");
    const body: Record<string, unknown> = {
      action: f.action,
      job_type: f.job_type,
      priority: f.priority,
      description: f.description || undefined,
      config_url: f.config_url || undefined,
      config_version: f.config_version || undefined,
      payload,
      rollback_on_degradation: f.rollback_on_degradation || undefined,
      release_id: releaseType ? f.release_id || undefined : undefined,
    };
    if (f.target === "site" || f.target === "segment") body.site_id = f.site_id || undefined;
    if (f.target === "segment") body.segment = f.segment || undefined;
    if (f.target === "devices") body.device_ids = f.device_ids.split(/[,\s]+/).filter(Boolean);
    if (f.when === "at" && f.at) body.schedule = { at: new Date(f.at).toISOString() };
    if (f.when === "maintenance") body.schedule = { next_maintenance_window: true };
    if (f.staged)
      body.rollout = {
        batches: parseBatches(f.batches),
        pause_s: Number(f.pause_s) || 0,
        error_threshold: Number(f.error_threshold),
      };
    const res = await post<WriteResponse<JobView>>("/jobs", body);
    navigate(`/jobs/${encodeURIComponent(res.data?.job_id ?? "")}`);
  };

  return (
    <>
      <PageHeader title="New job" subtitle={<Link to="/jobs">All jobs</Link>} />
      <Card>
        <form className="form" id="job-create-form" onSubmit={submit} style={{ maxWidth: 900 }}>
          <ErrorMessage error={error} what="Creating the job" />
          <h2>What</h2>
          <div className="form-grid">
            <TextField {...bind("action")} label="Action" hint='e.g. "Update POS payment config"' required />
            <SelectField {...bind("job_type")} label="Type">
              <option value="config_update">Config update</option>
              <option value="restart">Restart</option>
              <option value="software_update">Software update (a release)</option>
              <option value="firmware_update">Firmware update</option>
              <option value="health_check">Health check</option>
            </SelectField>
            <SelectField {...bind("priority")} label="Priority">
              <option value="high">High</option>
              <option value="normal">Normal</option>
              <option value="low">Low</option>
            </SelectField>
          </div>
          <TextField {...bind("description")} label="Description" hint="Optional" />

          <h2>Target</h2>
          <div className="form-grid">
            <SelectField {...bind("target")} label="Target">
              <option value="site">A whole site</option>
              <option value="segment">A segment (of a site, or everywhere)</option>
              <option value="devices">Chosen devices</option>
            </SelectField>
            {f.target !== "devices" && (
              <SelectField
                {...bind("site_id")}
                label="Site"
                hint={f.target === "segment" ? "Leave empty for every site" : undefined}
                required={f.target === "site"}
                options={siteOptions(sites.data?.sites, { withId: true })}
              >
                <option value="">{f.target === "segment" ? "All sites" : "Choose a site…"}</option>
              </SelectField>
            )}
            {f.target === "segment" && <TextField {...bind("segment")} label="Segment" />}
            {f.target === "devices" && (
              <TextField
                {...bind("device_ids")}
                label="Device IDs"
                hint="Comma or space separated"
                placeholder="pos-terminal-001, pos-terminal-002"
              />
            )}
          </div>

          {releaseType && (
            <SelectField
              {...bind("release_id")}
              label="Release"
              hint={`An active ${releaseType} release; devices already on its version, or not compatible, are skipped`}
              required={f.job_type === "software_update"}
            >
              <option value="">{f.job_type === "software_update" ? "Choose a release…" : "None (config URL)"}</option>
              {releases.data?.releases.map((r) => (
                <option key={r.release_id} value={r.release_id}>
                  {r.name} {r.version} ({r.release_id})
                </option>
              ))}
            </SelectField>
          )}

          <h2>Configuration</h2>
          {f.job_type === "config_update" && (
            <p className="muted" id="job-config-mode">
              <strong>Replaces</strong> each device's whole configuration with this one: the inline settings below (
              <code>{'{"config": {...}}'}</code>) or else the document at the config URL. Nothing of the previous
              configuration is kept; the version and URL are recorded beside the config, not inside it.
            </p>
          )}
          <div className="form-grid">
            <TextField {...bind("config_url")} label="Config URL" hint="Optional" type="url" />
            <TextField {...bind("config_version")} label="Config version" hint="Optional" />
          </div>
          <TextAreaField
            {...bind("payload")}
            label="Payload (JSON)"
            hint='A config update without a config URL carries its whole configuration inline as {"config": {...}}'
            rows={4}
            placeholder='{"config": {"payment_timeout_s": 45}}'
          />

          <h2>When and how</h2>
          <div className="form-grid">
            <SelectField {...bind("when")} label="Start" error={fieldError("schedule")}>
              <option value="now">Now</option>
              <option value="at">At a time</option>
              <option value="maintenance">In the site's next maintenance window</option>
            </SelectField>
            {f.when === "at" && <TextField {...bind("at")} label="Start at" type="datetime-local" required />}
          </div>
          {f.target !== "devices" && (
            <SuggestStart
              siteId={f.site_id}
              jobType={f.job_type}
              onPick={(iso) => patch({ when: "at", at: toLocalInput(iso) })}
            />
          )}
          <Checkbox className="row" id="job-staged" {...check("staged")} label="Staged rollout (batches)" />
          {f.staged && (
            <div className="form-grid">
              <TextField
                {...bind("batches")}
                label="Batches"
                hint='Counts or shares, e.g. "1, 25%, 100%"; the last repeats'
                error={fieldError("rollout")}
              />
              <TextField {...bind("pause_s")} label="Pause between batches (s)" type="number" min={0} />
              <TextField
                {...bind("error_threshold")}
                label="Stop when failures exceed"
                hint="Share 0–1 of devices so far"
                type="number"
                min={0}
                max={1}
                step={0.05}
              />
            </div>
          )}
          <Checkbox
            className="row"
            id="job-rollback"
            {...check("rollback_on_degradation")}
            label="Roll back a device whose health degrades after the change"
          />
          <div className="row">
            <Button
              id="job-create-submit"
              type="submit"
              variant="primary"
              disabled={busy || !f.action || (f.target === "site" && !f.site_id)}
            >
              {busy ? "Creating…" : "Create job"}
            </Button>
          </div>
        </form>
      </Card>
    </>
  );
}
