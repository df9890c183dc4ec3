import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { createReadStream, readFileSync, writeFileSync } from "node:fs";
import { releaseManifest } from "@homepot/contracts/releases";
import { keyIdOf, signText } from "@homepot/core/releases/release-key";
import { CliError } from "./cli-error.ts";

/** SHA-256 (hex) of a file, read as a stream (artifacts may be gigabytes). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export interface ReleaseIdentity {
  release_type: string;
  name: string;
  version: string;
  sha256: string;
}

/** What `homepot release sign` writes (FILE.sig) and `release push --signature` reads. */
export interface SignatureFile extends ReleaseIdentity {
  format: "homepot-release-signature-v1";
  signature: string;
  public_key: string;
  key_id: string;
}

/** Writes a new Ed25519 private key (PKCS#8 PEM, 0600) and returns its public key (SPKI PEM). */
export function generateSigningKey(out: string): string {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  try {
    writeFileSync(out, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new CliError(`${out} exists; not overwritten`);
    throw error;
  }
  return publicKey.export({ type: "spki", format: "pem" }).toString();
}

/** Signs a release's manifest (type, name, version, sha256) with the Ed25519 private key in `keyFile`. */
export function signRelease(identity: ReleaseIdentity, keyFile: string): SignatureFile {
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(readFileSync(keyFile, "utf8"));
  } catch (error) {
    throw new CliError(`--key ${keyFile}: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== "ed25519") throw new CliError(`--key ${keyFile} is not an Ed25519 private key`);
  const publicKey = createPublicKey(key);
  return {
    format: "homepot-release-signature-v1",
    ...identity,
    signature: signText(key, releaseManifest(identity)),
    public_key: publicKey.export({ type: "spki", format: "pem" }).toString(),
    key_id: keyIdOf(publicKey),
  };
}

/** Reads a signature file and checks it signs exactly this release (same type, name, version and bytes). */
export function readSignatureFile(path: string, expected: ReleaseIdentity): SignatureFile {
  let sig: Partial<SignatureFile>;
  try {
    sig = JSON.parse(readFileSync(path, "utf8")) as Partial<SignatureFile>;
  } catch (error) {
    throw new CliError(`--signature ${path}: ${(error as Error).message}`);
  }
  if (sig.format !== "homepot-release-signature-v1" || !sig.signature || !sig.public_key)
    throw new CliError(`--signature ${path} is not a homepot release signature (homepot release sign writes one)`);
  for (const field of ["release_type", "name", "version", "sha256"] as const)
    if (sig[field] !== expected[field])
      throw new CliError(
        `--signature ${path} signs ${field} ${sig[field]}, not ${expected[field]}: sign this file with these details`,
      );
  return sig as SignatureFile;
}
