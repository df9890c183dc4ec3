const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential|private[-_]?key/i;

/** A copy of `value` with every secret-looking field replaced, so it can be stored or logged. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return "[depth]";
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => redactSecrets(v, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) ? "[redacted]" : redactSecrets(v, depth + 1);
    }
    return out;
  }
  if (typeof value === "string") return redactSecretString(value);
  return value;
}

// Every pattern below runs in linear time on any input: no unbounded quantifier is followed by something that
// can fail and make it backtrack (a JWT pattern like `eyJ[\w-]{10,}\.` took quadratic time on "eyJ".repeat(n)).
const BEARER = /Bearer[ \t]{1,16}[A-Za-z0-9._~+/=-]+/g;
/** Device keys (hpk_), claim tokens (hpc_) and bootstrap keys (hpb_). */
const DEVICE_KEY = /hp([kcb])_[A-Za-z0-9_-]{20,}/g;
/** `password=…`, `"api_key": "…"`, `token: …` in free text (log lines, URLs, JSON pasted into a message). */
const SECRET_ASSIGNMENT =
  /(password|passwd|pwd|secret|token|api[-_]?key)(["']?[ \t]{0,4}[:=][ \t]{0,4}["']?)[^\s"'&,;]{1,512}/gi;
/** Runs of base64url text and dots, the only characters a JWT is made of. */
const TOKEN_RUN = /[A-Za-z0-9_.-]+/g;

/** Removes bearer tokens, HOMEPOT device keys, claim tokens and bootstrap keys, JWTs and `password=…`-style values that slipped into free text. */
export function redactSecretString(text: string): string {
  return text
    .replace(BEARER, "Bearer [redacted]")
    .replace(DEVICE_KEY, "hp$1_[redacted]")
    .replace(SECRET_ASSIGNMENT, "$1$2[redacted]")
    .replace(TOKEN_RUN, (run) => (run.includes("eyJ") ? redactJwts(run) : run));
}

/**
 * The JWTs inside one run of base64url text and dots: "eyJ" plus at least 10 characters, a dot, at least 10
 * characters, a dot, at least one character (header.payload.signature). One pass over the run's segments.
 */
function redactJwts(run: string): string {
  const parts = run.split(".");
  const out: string[] = [];
  let i = 0;
  while (i < parts.length) {
    const head = parts[i] as string;
    const at = head.indexOf("eyJ");
    const payload = parts[i + 1];
    const signature = parts[i + 2];
    if (at >= 0 && head.length - at - 3 >= 10 && payload && payload.length >= 10 && signature) {
      out.push(`${head.slice(0, at)}[redacted-jwt]`);
      i += 3;
    } else {
      out.push(head);
      i += 1;
    }
  }
  return out.join(".");
}

/** Query parameters whose value is a credential, dropped from URLs before they are stored. */
const SECRET_PARAM = /token|secret|passw|pwd|api[-_]?key|session|^(key|auth|authorization|code|jwt|sig|signature)$/i;

/**
 * A URL (absolute or a path) without credential-looking query parameters (`?token=…`, `api_key`, `password`…),
 * and with other secrets in it redacted. Stored page and request URLs go through this.
 */
export function stripSecretParams(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return redactSecretString(url);
  const hash = url.indexOf("#", q);
  const base = url.slice(0, q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const fragment = hash < 0 ? "" : url.slice(hash);
  const kept = query
    .split("&")
    .filter((pair) => {
      const eq = pair.indexOf("=");
      let name = eq < 0 ? pair : pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, " "));
      } catch {
        // A malformed escape: judge the raw name.
      }
      return !SECRET_PARAM.test(name);
    })
    .join("&");
  return redactSecretString(`${base}${kept ? `?${kept}` : ""}${fragment}`);
}
