import type { Command } from "@homepot/contracts/commands";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Button, Card, Field, Input, Select, TextArea, TextField } from "../../components/ui/index.tsx";
import { ApiError, get, type ListResponse, post, type WriteResponse } from "../../lib/api.ts";
import { useAuth } from "../../lib/auth.tsx";

interface Entry {
  key: number;
  input: string;
  commandId?: string;
  lifecycle?: string;
  output?: { stdout: string; stderr: string; exit: string };
  error?: string;
}

const FINAL = new Set(["completed", "failed", "expired", "cancelled"]);

function outputOf(c: Command): Entry["output"] {
  const r = (c.result && typeof c.result === "object" ? c.result : {}) as Record<string, unknown>;
  const exit =
    r.timed_out === true
      ? `timed out after ${String(r.timeout_s)} s`
      : r.refused === true
        ? `refused by the device: ${c.error_message ?? ""}`
        : `exit ${String(r.exit_code ?? (c.error_message ? "error" : "?"))}${r.truncated ? " · output cut at 64 KiB" : ""}`;
  return {
    stdout: String(r.stdout ?? ""),
    stderr: String(r.stderr ?? (c.error_message && !r.refused ? c.error_message : "")),
    exit,
  };
}

/**
 * Direct Connect: a terminal that sends each line as a run_command (or a script as run_script) through the command
 * pipeline and prints the output as the result comes back. The device runs it only under its owner's grants.
 */
export function TerminalPanel({ deviceId }: { deviceId: string }) {
  const { user } = useAuth();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [line, setLine] = useState("");
  const [mode, setMode] = useState<"command" | "script">("command");
  const [script, setScript] = useState("#!/bin/sh\nuptime\ndf -h /\n");
  const [asRoot, setAsRoot] = useState(false);
  const [timeoutS, setTimeoutS] = useState(60);
  const [history, setHistory] = useState<string[]>([]);
  const [cursor, setCursor] = useState(-1);
  const box = useRef<HTMLPreElement>(null);
  const waiting = entries.filter((e) => e.commandId && !FINAL.has(e.lifecycle ?? "")).length;

  // Polls the device's commands while some are still running and fills in their output.
  useEffect(() => {
    if (waiting === 0) return;
    const timer = setInterval(async () => {
      try {
        const res = await get<ListResponse<"commands", Command>>(`/devices/${encodeURIComponent(deviceId)}/commands`, {
          limit: 50,
        });
        const byId = new Map(res.commands.map((c) => [c.command_id, c]));
        setEntries((old) =>
          old.map((e) => {
            const c = e.commandId ? byId.get(e.commandId) : undefined;
            if (!c) return e;
            return { ...e, lifecycle: c.lifecycle, output: FINAL.has(c.lifecycle) ? outputOf(c) : e.output };
          }),
        );
      } catch {
        // The next tick tries again.
      }
    }, 1_000);
    return () => clearInterval(timer);
  }, [waiting, deviceId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when the scrollback changes
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [entries]);

  const send = async (text: string, type: "run_command" | "run_script") => {
    const key = Date.now() + Math.random();
    setEntries((old) => [...old.slice(-200), { key, input: text, lifecycle: "sending" }]);
    const payload: Record<string, unknown> =
      type === "run_command" ? { command: text, timeout_s: timeoutS } : { script: text, timeout_s: timeoutS };
    if (asRoot) payload.run_as_root = true;
    try {
      const res = await post<WriteResponse<Command>>(`/devices/${encodeURIComponent(deviceId)}/commands`, {
        command_type: type,
        payload,
      });
      setEntries((old) =>
        old.map((e) => (e.key === key ? { ...e, commandId: res.data?.command_id, lifecycle: res.data?.lifecycle } : e)),
      );
    } catch (err) {
      const message = err instanceof ApiError ? err.detail : String(err);
      setEntries((old) => old.map((e) => (e.key === key ? { ...e, lifecycle: "failed", error: message } : e)));
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mode === "script") return void send(script, "run_script");
    const text = line.trim();
    if (!text) return;
    setHistory((h) => [...h.filter((x) => x !== text), text].slice(-50));
    setCursor(-1);
    setLine("");
    if (text === "clear") return setEntries([]);
    void send(text, "run_command");
  };

  return (
    <Card title="Terminal" id="device-terminal">
      <p className="muted">
        Each line runs on the device as <code>sh -c</code> through the command queue, as {user?.username ?? "you"}{" "}
        (audited). The device runs it only if its owner granted command execution; output is cut at 64 KiB, time at 300
        s.
      </p>
      <pre className="terminal" ref={box} id="terminal-output" aria-live="polite">
        {entries.length === 0 && <span className="muted">Type a command below, e.g. uptime</span>}
        {entries.map((e) => (
          <div key={e.key} className="term-entry" data-command-id={e.commandId} data-lifecycle={e.lifecycle}>
            <span className="term-prompt">$ </span>
            {e.input}
            {"\n"}
            {e.error && <span className="term-stderr">{`${e.error}\n`}</span>}
            {!e.error && !e.output && <span className="muted">{`[${e.lifecycle ?? "queued"}…]\n`}</span>}
            {e.output && (
              <>
                {e.output.stdout}
                {e.output.stderr && (
                  <span className="term-stderr">
                    {e.output.stderr.endsWith("\n") ? e.output.stderr : `${e.output.stderr}\n`}
                  </span>
                )}
                <span className="muted">{`[${e.output.exit}]\n`}</span>
              </>
            )}
          </div>
        ))}
      </pre>
      <form className="form" id="terminal-form" onSubmit={submit}>
        {mode === "command" ? (
          <div className="term-input">
            <span className="term-prompt mono">$</span>
            <Input
              id="terminal-input"
              aria-label="Command"
              autoComplete="off"
              spellCheck={false}
              value={line}
              maxLength={4096}
              onChange={(e) => setLine(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== "ArrowUp" && e.key !== "ArrowDown") return;
                e.preventDefault();
                const next =
                  e.key === "ArrowUp" ? (cursor < 0 ? history.length - 1 : Math.max(0, cursor - 1)) : cursor + 1;
                if (next < 0 || next >= history.length) {
                  setCursor(-1);
                  setLine("");
                } else {
                  setCursor(next);
                  setLine(history[next] ?? "");
                }
              }}
            />
            <Button id="terminal-run" type="submit" variant="primary">
              Run
            </Button>
          </div>
        ) : (
          <>
            <Field label="Script (sh)">
              {(id) => <TextArea id={id} rows={6} value={script} onChange={(e) => setScript(e.target.value)} />}
            </Field>
            <Button id="terminal-run-script" type="submit" variant="primary">
              Run script
            </Button>
          </>
        )}
        <div className="filters">
          <Field label="Mode">
            {(id) => (
              <Select id={id} value={mode} onChange={(e) => setMode(e.target.value as "command" | "script")}>
                <option value="command">one command</option>
                <option value="script">script</option>
              </Select>
            )}
          </Field>
          <TextField
            label="Timeout (s)"
            type="number"
            min={1}
            max={300}
            value={timeoutS}
            onValue={(v) => setTimeoutS(Math.min(300, Math.max(1, Number(v) || 60)))}
          />
          <label className="row">
            <input id="terminal-root" type="checkbox" checked={asRoot} onChange={(e) => setAsRoot(e.target.checked)} />{" "}
            run as root (needs the root_access grant)
          </label>
        </div>
      </form>
    </Card>
  );
}
