/** A device's tags as chips; picking one filters the list by it. */
export function TagList({ tags, onPick }: { tags: string[] | undefined; onPick?: (tag: string) => void }) {
  if (!tags?.length) return <span className="muted">—</span>;
  return (
    <span className="tags">
      {tags.map((t) =>
        onPick ? (
          <button key={t} type="button" className="tag" title={`Show devices tagged ${t}`} onClick={() => onPick(t)}>
            {t}
          </button>
        ) : (
          <span key={t} className="tag">
            {t}
          </span>
        ),
      )}
    </span>
  );
}
