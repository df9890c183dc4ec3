import { createHash } from "node:crypto";
import si from "systeminformation";
import { AGENT_VERSION } from "./api.ts";
import { machineIdentity } from "./machine-identity.ts";

/** What the agent reports about its machine (`POST /api/v1/agent/device-dna`). */
export interface DeviceDna {
  mac_address: string | null;
  local_ip: string | null;
  os_details: string | null;
  os_family: string | null;
  os_version: string | null;
  firmware_version: string | null;
  agent_version: string;
  machine_id: string | null;
  hardware: Record<string, unknown>;
  peripherals: { printers: Array<Record<string, unknown>> };
}

const FAMILY: Record<string, string> = { linux: "linux", win32: "windows", darwin: "macos", android: "android" };
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const orNull = (v: string | undefined | null) => (v?.trim() ? v.trim() : null);

/** Reads the machine's DNA with systeminformation; a fact the host does not give is null (printers: none found). */
export async function readDeviceDna(): Promise<DeviceDna> {
  const [os, system, bios, cpu, mem, ifaces, defaultIface, printers] = await Promise.all([
    si.osInfo(),
    si.system(),
    si.bios(),
    si.cpu(),
    si.mem(),
    si.networkInterfaces(),
    si.networkInterfaceDefault().catch(() => ""),
    si.printer().catch(() => []),
  ]);
  const list = Array.isArray(ifaces) ? ifaces : [ifaces];
  const primary =
    list.find((i) => i.iface === defaultIface) ??
    list.find((i) => !i.internal && i.ip4 && i.mac !== "00:00:00:00:00:00");
  const mac = primary?.mac?.toLowerCase() ?? "";
  return {
    mac_address: MAC.test(mac) && mac !== "00:00:00:00:00:00" ? mac : null,
    local_ip: orNull(primary?.ip4),
    os_details: orNull(`${os.distro} ${os.release}`),
    os_family: FAMILY[os.platform] ?? null,
    os_version: orNull(os.release),
    firmware_version: orNull(bios.version),
    agent_version: AGENT_VERSION,
    machine_id: machineIdentity(),
    hardware: {
      manufacturer: orNull(system.manufacturer),
      model: orNull(system.model),
      cpu: orNull(`${cpu.manufacturer} ${cpu.brand}`),
      cores: cpu.cores,
      memory_mb: Math.round(mem.total / 1048576),
      arch: os.arch,
    },
    peripherals: {
      printers: printers.slice(0, 50).map((p) => ({
        name: p.name,
        model: orNull(p.model),
        status: orNull(p.status),
        default: p.default,
        local: p.local,
      })),
    },
  };
}

/** A fingerprint of the DNA, so the agent reports again only when something changed. */
export function dnaFingerprint(dna: DeviceDna): string {
  return createHash("sha256").update(JSON.stringify(dna)).digest("hex");
}
