import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { Button, ErrorMessage, Field, Input, Select, TextArea } from "../../components/ui/index.tsx";
import { parseJsonField, post } from "../../lib/api.ts";
import type { Device } from "../../lib/types.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { AgentSetup, OneTimeKey } from "./api-key-panel.tsx";

const DEVICE_TYPES = ["pos_terminal", "kiosk", "server", "iot_sensor", "payment_terminal", "printer"];

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
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const fieldError = (name: string) => error?.fields.find((f) => f.field === name)?.message;

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
          <Field label="Site" error={fieldError("site_id")}>
            {(id) => (
              <Select id={id} name="site_id" required value={form.site_id} onChange={set("site_id")}>
                <option value="">Choose a site…</option>
                {sites.data?.sites.map((s) => (
                  <option key={s.site_id} value={s.site_id}>
                    {s.name} ({s.site_id})
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}
        <Field label="Device ID" hint="e.g. pos-terminal-013" error={fieldError("device_id")}>
          {(id) => <Input id={id} name="device_id" required value={form.device_id} onChange={set("device_id")} />}
        </Field>
        <Field label="Name" error={fieldError("name")}>
          {(id) => <Input id={id} name="name" required value={form.name} onChange={set("name")} />}
        </Field>
        <Field label="Type" error={fieldError("device_type")}>
          {(id) => (
            <Select id={id} name="device_type" value={form.device_type} onChange={set("device_type")}>
              {DEVICE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t.replace(/_/g, " ")}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="IP address" hint="Optional" error={fieldError("ip_address")}>
          {(id) => (
            <Input
              id={id}
              name="ip_address"
              value={form.ip_address}
              onChange={set("ip_address")}
              placeholder="192.168.1.20"
            />
          )}
        </Field>
        <Field label="Segment" hint="Optional; default pos-terminals" error={fieldError("segment")}>
          {(id) => <Input id={id} name="segment" value={form.segment} onChange={set("segment")} />}
        </Field>
      </div>
      <Field label="Configuration (JSON)" hint="Optional" error={fieldError("config")}>
        {(id) => (
          <TextArea
            id={id}
            name="config"
            rows={3}
            value={form.config}
            onChange={set("config")}
            placeholder='{"payment_timeout_s": 30}'
          />
        )}
      </Field>
      <div className="row">
        <Button
          id="register-device-submit"
          type="submit"
          variant="primary"
          disabled={busy || !form.site_id || !form.device_id || !form.name}
        >
          {busy ? "Registering…" : "Register device"}
        </Button>
      </div>
    </form>
  );
}
