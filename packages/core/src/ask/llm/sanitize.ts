/**
 * What reaches the model from a user: length-capped, control characters out, and the markers that try to
 * change the model's instructions (role tags, chat-template tokens, "ignore previous instructions") replaced,
 * so a question stays a question.
 */
const MARKERS: RegExp[] = [
  /<\|[^|>]{0,40}\|>/g,
  /\[\/?(?:INST|SYS)\]/gi,
  /<\/?(?:s|system|assistant|user|tool)>/gi,
  /^\s*(?:system|assistant|developer|tool)\s*:/gim,
  /\b(?:ignore|disregard|forget|override)\b[^.?!\n]{0,40}\b(?:instructions?|prompts?|rules?|context)\b/gi,
  /\byou are now\b/gi,
  /```/g,
];

export function neutralizePrompt(text: string, maxChars = 500): string {
  let out = text.replace(/\p{Cc}+/gu, " ").slice(0, maxChars);
  for (const m of MARKERS) out = out.replace(m, "[removed]");
  return out.replace(/\s+/g, " ").trim();
}
