import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";

/**
 * The PostgreSQL wire protocol's password check (SCRAM-SHA-256, RFC 5802/7677 as PostgreSQL speaks it) in
 * front of a backend that trusts everyone — PGlite's socket server has no authentication of its own. A
 * client that proves it knows the password is connected to the backend (its startup message replayed, so
 * the backend's AuthenticationOk and session parameters follow); any other is refused with the error
 * PostgreSQL gives (28P01) before a byte reaches the database. The password never crosses the wire.
 */
export interface PasswordGateOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Opens a connection to the trusting backend. */
  connectBackend(): Socket;
  /** Longest time a client may take to authenticate, ms (default 10 s). */
  authTimeoutMs?: number;
  maxConnections?: number;
}

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const MAX_STARTUP_BYTES = 10_000;
const ITERATIONS = 4096;
const MECHANISM = "SCRAM-SHA-256";

const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();

export class PasswordGate {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly salt = randomBytes(16);
  private readonly storedKey: Buffer;
  private readonly serverKey: Buffer;

  constructor(private readonly options: PasswordGateOptions) {
    // Derived once per process with a fresh salt; only these keys are kept in memory for the exchange.
    const salted = pbkdf2Sync(options.password, this.salt, ITERATIONS, 32, "sha256");
    this.storedKey = sha256(hmac(salted, "Client Key"));
    this.serverKey = hmac(salted, "Server Key");
  }

  /** Listens; resolves with the port (useful with port 0). */
  start(): Promise<number> {
    const server = createServer((socket) => this.handle(socket));
    server.maxConnections = this.options.maxConnections ?? 16;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off("error", reject);
        const address = server.address();
        resolve(typeof address === "object" && address ? address.port : this.options.port);
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(client: Socket): void {
    this.sockets.add(client);
    client.once("close", () => this.sockets.delete(client));
    client.on("error", () => client.destroy());
    client.setTimeout(this.options.authTimeoutMs ?? 10_000, () => client.destroy());
    const exchange = new ScramExchange(this.options.user, this.salt, this.storedKey, this.serverKey);
    let buffer = Buffer.alloc(0);
    let startup: Buffer | undefined;
    let user = "";

    const refuse = (message: string, code = "28P01") => {
      client.removeListener("data", onData);
      client.end(errorResponse(code, message));
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!startup) {
          // Untyped startup-phase packets: int32 length, int32 code.
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (length < 8 || length > MAX_STARTUP_BYTES) return refuse("invalid startup packet length", "08P01");
          if (buffer.length < length) return;
          const packet = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          const code = packet.readInt32BE(4);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            client.write("N"); // no TLS on this loopback-only port; the client goes on in clear
            continue;
          }
          if (code === CANCEL_REQUEST) return void client.end();
          if (code !== PROTOCOL_3) return refuse("unsupported frontend protocol", "0A000");
          const params = startupParams(packet);
          user = params.get("user") ?? "";
          startup = Buffer.from(packet);
          client.write(authMessage(10, Buffer.from(`${MECHANISM}\0\0`)));
          continue;
        }
        // Typed messages: byte type, int32 length (including itself).
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0] ?? 0);
        const length = buffer.readInt32BE(1);
        if (length < 4 || length > MAX_STARTUP_BYTES) return refuse("invalid message length", "08P01");
        if (buffer.length < 1 + length) return;
        const body = buffer.subarray(5, 1 + length);
        buffer = buffer.subarray(1 + length);
        if (type !== "p") return refuse("expected a SASL response", "08P01");
        const step = exchange.next(body, user);
        if (step.kind === "continue") {
          client.write(authMessage(11, Buffer.from(step.data)));
          continue;
        }
        if (step.kind === "fail") return refuse(`password authentication failed for user "${user}"`);
        client.write(authMessage(12, Buffer.from(step.data)));
        client.removeListener("data", onData);
        this.connect(client, startup, buffer);
        return;
      }
    };
    client.on("data", onData);
  }

  /** Authenticated: replay the startup message to the backend and join the two sockets. */
  private connect(client: Socket, startup: Buffer, rest: Buffer): void {
    client.setTimeout(0);
    client.pause();
    const backend = this.options.connectBackend();
    this.sockets.add(backend);
    backend.once("close", () => {
      this.sockets.delete(backend);
      client.destroy();
    });
    client.once("close", () => backend.destroy());
    backend.on("error", () => client.destroy());
    backend.once("connect", () => {
      backend.write(startup);
      if (rest.length > 0) backend.write(rest);
      backend.pipe(client);
      client.pipe(backend);
      client.resume();
    });
  }
}

type Step = { kind: "continue" | "done"; data: string } | { kind: "fail" };

/** One client's SCRAM-SHA-256 exchange: client-first → server-first → client-final → server-final. */
class ScramExchange {
  private state: "initial" | "final" | "over" = "initial";
  private clientFirstBare = "";
  private serverFirst = "";
  private nonce = "";
  private gs2Header = "";

  constructor(
    private readonly expectedUser: string,
    private readonly salt: Buffer,
    private readonly storedKey: Buffer,
    private readonly serverKey: Buffer,
  ) {}

  next(body: Buffer, user: string): Step {
    try {
      if (this.state === "initial") return this.first(body);
      if (this.state === "final") return this.final(body, user);
    } catch {
      // A malformed message is a failed authentication, never a crash.
    }
    this.state = "over";
    return { kind: "fail" };
  }

  private first(body: Buffer): Step {
    // SASLInitialResponse: mechanism\0, int32 length, client-first-message.
    const end = body.indexOf(0);
    if (end < 0 || body.subarray(0, end).toString() !== MECHANISM) throw new Error("mechanism");
    const length = body.readInt32BE(end + 1);
    const message = body.subarray(end + 5, end + 5 + length).toString("utf8");
    // gs2 header "n,," (no channel binding) or "y,," (client could, thinks we cannot); "p=…" needs TLS.
    const match = /^([ny]),(?:a=[^,]*)?,(.*)$/.exec(message);
    if (!match) throw new Error("gs2 header");
    this.gs2Header = message.slice(0, message.length - (match[2] ?? "").length);
    this.clientFirstBare = match[2] ?? "";
    const clientNonce = /(?:^|,)r=([^,]+)/.exec(this.clientFirstBare)?.[1];
    if (!clientNonce || clientNonce.length > 512) throw new Error("nonce");
    this.nonce = clientNonce + randomBytes(18).toString("base64");
    this.serverFirst = `r=${this.nonce},s=${this.salt.toString("base64")},i=${ITERATIONS}`;
    this.state = "final";
    return { kind: "continue", data: this.serverFirst };
  }

  private final(body: Buffer, user: string): Step {
    this.state = "over";
    const message = body.toString("utf8");
    const proofAt = message.lastIndexOf(",p=");
    if (proofAt < 0) throw new Error("proof");
    const withoutProof = message.slice(0, proofAt);
    const attributes = new Map(withoutProof.split(",").map((kv) => [kv.slice(0, 1), kv.slice(2)]));
    if (attributes.get("c") !== Buffer.from(this.gs2Header).toString("base64")) throw new Error("channel binding");
    if (attributes.get("r") !== this.nonce) throw new Error("nonce");
    const proof = Buffer.from(message.slice(proofAt + 3), "base64");
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(this.storedKey, authMessage);
    if (proof.length !== signature.length) throw new Error("proof length");
    const clientKey = Buffer.alloc(signature.length);
    for (let i = 0; i < signature.length; i++) clientKey[i] = (proof[i] ?? 0) ^ (signature[i] ?? 0);
    const proven = timingSafeEqual(sha256(clientKey), this.storedKey);
    if (!proven || user !== this.expectedUser) return { kind: "fail" };
    return { kind: "done", data: `v=${hmac(this.serverKey, authMessage).toString("base64")}` };
  }
}

function startupParams(packet: Buffer): Map<string, string> {
  const parts = packet.subarray(8).toString("utf8").split("\0");
  const params = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) params.set(parts[i] as string, parts[i + 1] ?? "");
  return params;
}

/** 'R' message: int32 length, int32 auth code, data. */
function authMessage(code: number, data: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.write("R", 0);
  head.writeInt32BE(8 + data.length, 1);
  head.writeInt32BE(code, 5);
  return Buffer.concat([head, data]);
}

/** 'E' ErrorResponse with severity FATAL, SQLSTATE `code` and `message`. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, "utf8");
  const head = Buffer.alloc(5);
  head.write("E", 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}
