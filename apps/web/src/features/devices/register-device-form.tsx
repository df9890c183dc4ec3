import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { binder } from "../../components/ui/draft-form.tsx";
import {
  Button,
  ErrorMessage,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
} from "../../components/ui/index.tsx";
import { fieldErrorOf, parseJsonField, post } from "../../lib/api.ts";
import { siteOptions } from "../../lib/site-options.ts";
import type { Device } from "../../lib/types.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { AgentSetup, OneTimeKey } from "./api-key-panel.tsx";

/** The kinds of device a form offers, each labelled with its words ("pos terminal"). */
export const DEVICE_TYPES = ["pos_terminal", "kiosk", "server", "iot_sensor", "payment_terminal", "printer"].map(
  (t) => ({ value: t, label: t.replace(/_/g, " ") }),
);

/** Register a device at a site (fixed or chosen) and show its key once. */
export function RegisterDeviceForm({
  siteId,
  onRegistered,
}: {
  siteId?: string;
  onRegistered?: (device: Device) => void;
}) {
  const sites = useEndpoint("GET /sites", siteId ? null : { query: { limit: 1000 } });
  const [form, setForm] = useState({
    site_id: siteId ?? "",
    device_id: "",
    name: "",
    device_type: "pos_terminal",
    ip_address: "",
    segment: "",
    config: "",
  });
  const registering = useAction();
  const { error, pending: busy } = registering;
  const [created, setCreated] = useState<{ device: Device; key: string }>();
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const fieldError = fieldErrorOf(error);
  const bind = binder(form, set, fieldError);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void registering.run(async () => {
      const config = parseJsonField(form.config, "config");
      const res = await post<Device & { api_key: string }>(
        `/devices/sites/${encodeURIComponent(form.site_id)}/devices`,
        {
          device_id: form.device_id,
          name: form.name,
          device_type: form.device_type,
          ip_address: form.ip_address || undefined,
          segment: form.segment || undefined,
          config,
        },
      );
      const { api_key, ...device } = res;
      setCreated({ device: { ...device, site_id: device.site_id ?? form.site_id }, key: api_key });
      onRegistered?.(device);
    });
  };

  if (created) {
    return (
      <div className="form">
        <div className="alert alert-ok" role="status">
          Device <Link to={`/devices/${encodeURIComponent(created.device.device_id)}`}>{created.device.device_id}</Link>{" "}
          registered at {created.device.site_id}.
        </div>
        <OneTimeKey apiKey={created.key} deviceId={created.device.device_id} />
        <AgentSetup apiKey={created.key} deviceId={created.device.device_id} siteId={created.device.site_id} />
        <div className="row">
          <Button
            id="register-another"
            onClick={() => {
              setCreated(undefined);
              setForm((f) => ({ ...f, device_id: "", name: "", ip_address: "", config: "" }));
            }}
          >
            Register another
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form className="form" id="register-device-form" onSubmit={submit}>
      <ErrorMessage error={error} what="Registering the device" />
      <div className="form-grid">
        {!siteId && (
          <SelectField
            {...bind("site_id")}
            label="Site"
            required
            options={siteOptions(sites.data?.sites, { withId: true })}
          >
            <option value="">Choose a site…</option>
          </SelectField>
        )}
        <TextField {...bind("device_id")} label="Device ID" hint="e.g. pos-terminal-013" required />
        <TextField {...bind("name")} label="Name" required />
        <SelectField {...bind("device_type")} label="Type" options={DEVICE_TYPES} />
        <TextField {...bind("ip_address")} label="IP address" hint="Optional" placeholder="192.168.1.20" />
        <TextField {...bind("segment")} label="Segment" hint="Optional; default pos-terminals" />
      </div>
      <TextAreaField
        {...bind("config")}
        label="Configuration (JSON)"
        hint="Optional"
        rows={3}
        placeholder='{"payment_timeout_s": 30}'
      />
      <div className="row">
        <SubmitButton
          id="register-device-submit"
          pending={busy}
          busy="Registering…"
          disabled={!form.site_id || !form.device_id || !form.name}
        >
          Register device
        </SubmitButton>
      </div>
    </form>
  );
}
