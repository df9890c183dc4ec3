import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import { writeFileAtomic } from "./atomic-file.ts";

/** What `register` stores: the server, the device's identity and its key (file mode 0600). */
export interface Credentials {
  server: string;
  device_id: string;
  site_id?: string;
  api_key: string;
  registered_at: string;
}

export class CredentialsError extends Error {}

export function writeCredentials(file: string, credentials: Credentials): void {
  writeFileAtomic(file, `${JSON.stringify(credentials, null, 2)}\n`, 0o600);
  chmodSync(file, 0o600);
}

export function readCredentials(file: string): Credentials | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: Partial<Credentials>;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<Credentials>;
  } catch {
    throw new CredentialsError(`${file} is not valid JSON; run homepot-agent register again`);
  }
  if (typeof parsed.server !== "string" || typeof parsed.device_id !== "string" || typeof parsed.api_key !== "string") {
    throw new CredentialsError(`${file} lacks server, device_id or api_key; run homepot-agent register again`);
  }
  return parsed as Credentials;
}

/** Permission bits of the key file, e.g. "600", or undefined when absent. */
export function keyFileMode(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  return (statSync(file).mode & 0o777).toString(8);
}
