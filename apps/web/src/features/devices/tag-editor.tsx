import { type FormEvent, useState } from "react";
import { Button, ErrorMessage, Input } from "../../components/ui/index.tsx";
import { ApiError, put } from "../../lib/api.ts";
import { useCan } from "../../lib/auth.tsx";
import { parseTags } from "./bulk-actions.tsx";
import { TagList } from "./tag-list.tsx";

/** A device's tags, editable by operators (PUT /devices/{id} with the new list). */
export function TagEditor({ deviceId, tags, onSaved }: { deviceId: string; tags: string[]; onSaved: () => void }) {
  const canEdit = useCan("operator");
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(tags.join(", "));
  const [error, setError] = useState<ApiError>();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await put(`/devices/${encodeURIComponent(deviceId)}`, { tags: parseTags(text) });
      setEditing(false);
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    }
  };

  if (!editing)
    return (
      <span className="row">
        <TagList tags={tags} />
        {canEdit && (
          <Button
            id="device-tags-edit"
            variant="ghost"
            onClick={() => {
              setText(tags.join(", "));
              setEditing(true);
            }}
          >
            Edit
          </Button>
        )}
      </span>
    );
  return (
    <form className="row" onSubmit={save} aria-label="Edit tags">
      <Input
        id="device-tags-input"
        aria-label="Tags"
        placeholder="tags, comma-separated"
        value={text}
        onValue={setText}
      />
      <Button id="device-tags-save" type="submit" variant="primary">
        Save
      </Button>
      <Button onClick={() => setEditing(false)}>Cancel</Button>
      {error && <ErrorMessage error={error} what="Saving the tags" />}
    </form>
  );
}
