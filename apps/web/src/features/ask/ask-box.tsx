import type { AskQueryResponse } from "@homepot/contracts/ask";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import type { z } from "zod";
import { Button, Card, ErrorMessage } from "../../components/ui/index.tsx";
import { post } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";

type Answer = z.infer<typeof AskQueryResponse>;
type Citation = Answer["citations"][number];

const TRUST_TONE: Record<string, string> = { high: "ok", medium: "info", low: "warn", none: "bad" };

/** A citation's rows or query, as a link to the page that shows them when there is one. */
function CitationLink({ c, n }: { c: Citation; n: number }) {
  const detail = c.ids?.length ? `ids ${c.ids.slice(0, 8).join(", ")}${c.ids.length > 8 ? ", …" : ""}` : c.query;
  const label = (
    <>
      [{n}] {c.table}: {c.label}
    </>
  );
  return (
    <li title={detail}>
      {c.href ? <Link to={c.href}>{label}</Link> : label}
      {detail && <span className="muted"> · {detail}</span>}
    </li>
  );
}

function AnswerView({ a }: { a: Answer }) {
  return (
    <div className="ask-answer" aria-live="polite" data-testid="ask-answer">
      <p>{a.answer}</p>
      {a.answered ? (
        <>
          <p className="muted">
            <span className={`badge badge-${TRUST_TONE[a.trust.level] ?? "info"}`}>trust: {a.trust.level}</span>
            {a.trust.reasons.length > 0 && <> {a.trust.reasons.join("; ")}</>}
            {a.data_window && (
              <>
                {" "}
                · data {formatDateTime(a.data_window.start)} – {formatDateTime(a.data_window.end)}, {a.sample_size}{" "}
                {a.sample_size === 1 ? "row" : "rows"} · {a.duration_ms} ms{a.engine === "llm" ? " · LLM" : ""}
              </>
            )}
          </p>
          {a.citations.length > 0 && (
            <ol className="ask-citations" aria-label="Sources">
              {a.citations.map((c, i) => (
                <CitationLink key={`${c.table}-${c.label}`} c={c} n={i + 1} />
              ))}
            </ol>
          )}
        </>
      ) : null}
      {a.corrections.length > 0 && (
        <p className="muted">Read as: {a.corrections.map((c) => `${c.from} → ${c.to}`).join(", ")}</p>
      )}
    </div>
  );
}

/**
 * "Ask HOMEPOT": a question in plain language, answered from the fleet's data with every figure's source.
 * On a device or site page the question is about that device or site unless it names another.
 */
export function AskBox({ siteId, deviceId }: { siteId?: string; deviceId?: string }) {
  const [question, setQuestion] = useState("");
  const [answer, setAnswer] = useState<Answer>();
  const asking = useAction();
  const scope = { site_id: siteId, device_id: deviceId };
  const suggestions = useEndpoint("GET /ai/query/suggestions", { query: scope });
  const history = useEndpoint("GET /ai/query/history", { query: { limit: 5 } });

  async function ask(text: string) {
    if (!text.trim()) return;
    setQuestion(text);
    await asking.run(async () => {
      setAnswer(await post<Answer>("/ai/query", { question: text, ...scope }));
      history.reload();
    });
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void ask(question);
  };

  return (
    <Card title="Ask HOMEPOT" className="ask-box">
      <form onSubmit={submit} className="ask-form">
        <input
          className="input"
          aria-label="Question"
          placeholder="e.g. which stores had the most payment errors this week?"
          maxLength={500}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
        />
        <Button type="submit" variant="primary" disabled={asking.pending || !question.trim()}>
          {asking.pending ? "Asking…" : "Ask"}
        </Button>
      </form>
      <fieldset className="ask-suggestions" aria-label="Suggested questions">
        {(answer?.suggestions.length ? answer.suggestions : (suggestions.data?.suggestions ?? [])).map((s) => (
          <button key={s} type="button" className="tag" onClick={() => void ask(s)}>
            {s}
          </button>
        ))}
      </fieldset>
      <ErrorMessage error={asking.error} what="The question" />
      {answer && <AnswerView a={answer} />}
      {(history.data?.history.length ?? 0) > 0 && (
        <details className="ask-history">
          <summary>Your recent questions</summary>
          <ul>
            {history.data?.history.map((h) => (
              <li key={h.id}>
                <button type="button" className="link-button" onClick={() => void ask(h.question)}>
                  {h.question}
                </button>{" "}
                <span className="muted">
                  {formatDateTime(h.asked_at)} · {h.answered ? `trust ${h.trust_level}` : "not answered"}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </Card>
  );
}
