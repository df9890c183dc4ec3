import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import {
  Button,
  Card,
  ErrorMessage,
  Field,
  Input,
  PageHeader,
  SelectField,
  TextAreaField,
  TextField,
} from "../components/ui/index.tsx";
import { useForm } from "../components/ui/use-form.ts";
import { sendChunks, UploadStopped } from "../features/releases/chunked-upload.ts";
import { call, sendUploadChunk } from "../lib/api.ts";
import { useAction } from "../lib/use-action.ts";

const list = (s: string) =>
  s
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

const transport = {
  send: sendUploadChunk,
  offsetOf: async (uploadId: string) =>
    (await call("GET /releases/uploads/{upload_id}", { params: { upload_id: uploadId } })).data.offset,
};

/** Uploads an artifact in chunks through the resumable upload API, with a progress bar; a stopped upload resumes. */
export default function NewReleasePage() {
  const navigate = useNavigate();
  const [file, setFile] = useState<File>();
  const uploading = useAction();
  const { error, pending: busy } = uploading;
  const {
    form: f,
    fieldError,
    bind,
  } = useForm(
    {
      name: "",
      version: "",
      release_type: "software",
      device_types: "",
      os_families: "",
      min_current_version: "",
      notes: "",
    },
    error,
  );
  const [upload, setUpload] = useState<{ id: string; offset: number }>();
  const size = file?.size ?? 0;
  const percent = upload && size ? Math.floor((upload.offset / size) * 100) : 0;

  /** Sends the rest of the file from `offset`, then completes the upload and opens the release. */
  const finish = async (id: string, offset: number, chosen: File) => {
    await sendChunks({
      file: chosen,
      uploadId: id,
      offset,
      transport,
      onProgress: (o) => setUpload({ id, offset: o }),
    });
    const done = await call("POST /releases/uploads/{upload_id}/complete", { params: { upload_id: id } });
    navigate(`/releases/${encodeURIComponent(done.data.release_id)}`);
  };

  const run = (step: () => Promise<void>) =>
    uploading.run(async () => {
      try {
        await step();
      } catch (err) {
        if (!(err instanceof UploadStopped)) throw err;
        // Show how far the upload got (Resume starts there) and why it stopped.
        setUpload((u) => (u ? { ...u, offset: err.offset } : u));
        throw err.cause;
      }
    });

  const start = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    void run(async () => {
      const min = f.min_current_version.trim();
      const res = await call("POST /releases/uploads", {
        body: {
          name: f.name.trim(),
          version: f.version.trim(),
          release_type: f.release_type as "software" | "firmware",
          size_bytes: file.size,
          filename: file.name,
          notes: f.notes.trim() || undefined,
          compatibility: {
            device_types: list(f.device_types),
            os_families: list(f.os_families),
            ...(min ? { min_current_version: min } : {}),
          },
        },
      });
      setUpload({ id: res.data.upload_id, offset: 0 });
      await finish(res.data.upload_id, 0, file);
    });
  };

  const resume = () =>
    upload &&
    file &&
    run(async () => {
      const offset = await transport.offsetOf(upload.id);
      setUpload({ id: upload.id, offset });
      await finish(upload.id, offset, file);
    });

  return (
    <>
      <PageHeader title="Upload a release" subtitle={<Link to="/releases">All releases</Link>} />
      <Card>
        <form className="form" id="release-upload-form" onSubmit={start} style={{ maxWidth: 900 }}>
          <Field label="Artifact" hint={file ? `${file.name}, ${file.size.toLocaleString()} bytes` : undefined}>
            {(id) => (
              <Input
                id={id}
                name="file"
                type="file"
                required
                disabled={!!upload}
                onChange={(e) => setFile(e.target.files?.[0])}
              />
            )}
          </Field>
          <div className="form-grid">
            <TextField {...bind("name")} label="Name" hint="e.g. pos-app" required />
            <TextField {...bind("version")} label="Version" hint="e.g. 4.2.0" required />
            <SelectField {...bind("release_type")} label="Type">
              <option value="software">Software</option>
              <option value="firmware">Firmware</option>
            </SelectField>
          </div>
          <div className="form-grid">
            <TextField
              {...bind("device_types")}
              label="Device types"
              hint="Comma separated; empty = any"
              error={fieldError("compatibility")}
            />
            <TextField {...bind("os_families")} label="OS families" hint="linux, windows, android…; empty = any" />
            <TextField {...bind("min_current_version")} label="Minimum installed version" hint="Optional" />
          </div>
          <TextAreaField {...bind("notes")} label="Notes" hint="Optional" rows={3} />
          {upload && (
            <div id="release-upload-status">
              <div
                className="progress"
                role="progressbar"
                id="release-upload-progress"
                aria-label="Upload progress"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent}
              >
                <span className="bar-ok" style={{ width: `${percent}%` }} />
              </div>
              <small className="muted" id="release-upload-percent">
                {percent} % · {upload.offset.toLocaleString()} of {size.toLocaleString()} bytes
              </small>
            </div>
          )}
          <ErrorMessage error={error} what="The upload" />
          <div className="row">
            {!upload ? (
              <Button id="release-upload-submit" type="submit" variant="primary" disabled={busy || !file}>
                Upload
              </Button>
            ) : (
              error && (
                <Button id="release-upload-resume" variant="primary" disabled={busy} onClick={resume}>
                  Resume at {percent} %
                </Button>
              )
            )}
          </div>
        </form>
      </Card>
    </>
  );
}
