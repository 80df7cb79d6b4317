// Evidence files: a drop zone and a visible "choose files" input; each file is uploaded
// at once, with its own progress bar, and may be removed before the form is sent. The
// uploader comes from UploadContext (the real XMLHttpRequest one unless a test gives
// another), so its progress can be driven in tests.
import { createContext, useCallback, useContext, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { refusals } from "../api/refusals";
import { useFileDrop } from "../ui/drop";
import { UploadAborted, uploadEvidence, type UploadHandle, type Uploader } from "./upload";

export const UploadContext = createContext<Uploader>(uploadEvidence);

export interface EvidenceItem {
  key: number;
  name: string;
  size: number;
  progress: number;
  state: "uploading" | "done" | "failed";
  id?: string;
  error?: string;
}

export interface Evidence {
  items: EvidenceItem[];
  add: (files: FileList | File[]) => void;
  remove: (key: number) => void;
  reset: () => void;
  /** the ids of the files uploaded, in the order chosen */
  ids: string[];
  /** whether a file is still on its way */
  busy: boolean;
  /** whether a file could not be uploaded (and is still listed) */
  failed: boolean;
}

/** The files of one form and their uploads. */
export function useEvidence(): Evidence {
  const upload = useContext(UploadContext);
  const { t } = useTranslation("learner");
  const [items, setItems] = useState<EvidenceItem[]>([]);
  const handles = useRef(new Map<number, UploadHandle>());
  const next = useRef(1);

  const update = useCallback((key: number, change: Partial<EvidenceItem>) => {
    setItems((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const add = useCallback(
    (files: FileList | File[]) => {
      for (const file of Array.from(files)) {
        const key = next.current++;
        setItems((all) => [...all, { key, name: file.name, size: file.size, progress: 0, state: "uploading" }]);
        const handle = upload(file, (fraction) => update(key, { progress: fraction }));
        handles.current.set(key, handle);
        handle.done.then(
          (stored) => update(key, { state: "done", progress: 1, id: stored.id }),
          (error: unknown) => {
            if (error instanceof UploadAborted) return;
            const refusal = refusals(error as Error).general([])[0];
            const message =
              refusal === undefined || refusal.code === "NETWORK" ? t("upload.failed") : refusal.message;
            update(key, { state: "failed", error: message });
          },
        );
        handle.done.catch(() => undefined).finally(() => handles.current.delete(key));
      }
    },
    [upload, update, t],
  );

  const remove = useCallback((key: number) => {
    handles.current.get(key)?.abort();
    handles.current.delete(key);
    setItems((all) => all.filter((item) => item.key !== key));
  }, []);

  const reset = useCallback(() => {
    handles.current.forEach((handle) => handle.abort());
    handles.current.clear();
    setItems([]);
  }, []);

  useEffect(() => {
    const open = handles.current;
    return () => open.forEach((handle) => handle.abort());
  }, []);

  return {
    items,
    add,
    remove,
    reset,
    ids: items.filter((item) => item.state === "done" && item.id).map((item) => item.id as string),
    busy: items.some((item) => item.state === "uploading"),
    failed: items.some((item) => item.state === "failed"),
  };
}

function sizeText(size: number, language: string): string {
  const units = language === "en" ? ["bytes", "KB", "MB"] : ["字节", "KB", "MB"];
  if (size >= 1024 * 1024) return `${(size / 1024 / 1024).toFixed(1)} ${units[2]}`;
  if (size >= 1024) return `${Math.round(size / 1024)} ${units[1]}`;
  return `${size} ${units[0]}`;
}

export function EvidenceFiles({ evidence, error, label }: { evidence: Evidence; error?: string; label?: string }) {
  const { t, i18n } = useTranslation("learner");
  const id = useId();
  const { over, zone } = useFileDrop((files) => evidence.add(files));
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hintId, error ? errorId : null].filter(Boolean).join(" ");

  return (
    <div className={`field${error ? " field-invalid" : ""}`} role="group" aria-labelledby={`${id}-legend`}>
      <span className="field-legend" id={`${id}-legend`}>
        {label ?? t("upload.label")}
      </span>
      <div
        className={`dropzone lp-dropzone${over ? " over" : ""}`}
        data-testid="dropzone"
        {...zone}
      >
        <p className="dropzone-text">{t("upload.drop")}</p>
        <label htmlFor={`${id}-input`} className="button secondary dropzone-choose">
          {t("upload.choose")}
        </label>
        {/* the real control: out of sight but focusable, its label the visible button */}
        <input
          id={`${id}-input`}
          className="dropzone-input"
          type="file"
          multiple
          accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          onChange={(event) => {
            if (event.target.files?.length) evidence.add(event.target.files);
            event.target.value = "";
          }}
        />
      </div>
      <p className="hint" id={hintId}>
        {t("upload.hint")}
      </p>
      {evidence.items.length > 0 ? (
        <ul className="list uploads" aria-label={t("upload.chosen")}>
          {evidence.items.map((item) => (
            <li key={item.key} className="upload">
              <div className="upload-head">
                <span className="upload-name">{item.name}</span>
                <span className="muted">{sizeText(item.size, i18n.language)}</span>
                <button
                  type="button"
                  className="link"
                  onClick={() => evidence.remove(item.key)}
                  aria-label={t("upload.remove", { name: item.name })}
                >
                  {t("upload.removeShort")}
                </button>
              </div>
              {item.state !== "failed" ? (
                <progress className="progress" max={100} value={Math.round(item.progress * 100)} aria-label={item.name} />
              ) : null}
              <p
                className={item.state === "failed" ? "field-error" : "hint"}
                role={item.state === "failed" ? "alert" : undefined}
                data-testid="upload-state"
              >
                {item.state === "uploading"
                  ? t("upload.uploading", { percent: Math.round(item.progress * 100) })
                  : item.state === "done"
                    ? t("upload.done")
                    : item.error}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
