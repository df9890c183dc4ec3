/** The smallest OpenAI-compatible /v1/chat/completions client (Ollama, llama.cpp server, vLLM, OpenAI). */

export interface LlmSettings {
  url: string;
  model: string;
  apiKey: string | undefined;
  timeoutMs: number;
}

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: ToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

export interface ToolSpec {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

function endpoint(url: string): string {
  const base = url.replace(/\/+$/, "");
  if (base.endsWith("/chat/completions")) return base;
  return base.endsWith("/v1") ? `${base}/chat/completions` : `${base}/v1/chat/completions`;
}

/** One completion; throws on HTTP errors, malformed answers and when `signal` aborts (the timeout). */
export async function chatCompletion(
  settings: LlmSettings,
  messages: ChatMessage[],
  tools: ToolSpec[],
  signal: AbortSignal,
): Promise<{ content: string | null; toolCalls: ToolCall[] }> {
  const res = await fetch(endpoint(settings.url), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
    },
    body: JSON.stringify({ model: settings.model, messages, tools, tool_choice: "auto", temperature: 0 }),
    signal,
  });
  if (!res.ok) throw new Error(`LLM answered HTTP ${res.status}`);
  const body = (await res.json()) as { choices?: { message?: { content?: string | null; tool_calls?: ToolCall[] } }[] };
  const message = body.choices?.[0]?.message;
  if (!message) throw new Error("LLM answer has no message");
  return { content: message.content ?? null, toolCalls: message.tool_calls ?? [] };
}
