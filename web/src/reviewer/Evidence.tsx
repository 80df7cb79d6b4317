// A case's evidence files, shown in the page: the one selected is fetched from
// GET /evidence/{id} with the reviewer's token (the gateway serves it only as a
// download, to those who may read it), kept as a blob URL, and shown as an image or,
// for a PDF, drawn page by page by pdf.js (PdfPages: no plugin, no frame, no script of
// the file runs) with a link to open or download it too. Blob URLs are revoked when another
// file is chosen and when the page goes.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { fetchEvidence } from "../api/evidence";
import { currentLanguage } from "../api/session";
import { Empty } from "../ui/Page";
import { PdfPages } from "./PdfPages";
import { fileSize } from "./shared";

export interface EvidenceFile {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

const IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
const PDF = "application/pdf";

async function problemOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: string; message?: string };
    return body.error ?? body.message ?? `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

type Shown =
  | { state: "idle" }
  | { state: "loading"; file: EvidenceFile }
  | { state: "failed"; file: EvidenceFile; message: string }
  | { state: "shown"; file: EvidenceFile; url: string; type: string; bytes: ArrayBuffer };

/** Fetch the file and hold it as a blob URL while it is shown. */
function useBlob(file: EvidenceFile | null): Shown {
  const [shown, setShown] = useState<Shown>({ state: "idle" });
  useEffect(() => {
    if (!file) {
      setShown({ state: "idle" });
      return;
    }
    let url: string | null = null;
    let gone = false;
    setShown({ state: "loading", file });
    (async () => {
      try {
        const response = await fetchEvidence(file.id);
        if (!response.ok) {
          const message = await problemOf(response);
          if (!gone) setShown({ state: "failed", file, message });
          return;
        }
        // the type the bank checked on upload, by content; the answer's own as fallback
        const type = file.contentType || response.headers.get("Content-Type") || "application/octet-stream";
        const bytes = await response.arrayBuffer();
        if (gone) return;
        url = URL.createObjectURL(new Blob([bytes], { type }));
        setShown({ state: "shown", file, url, type, bytes });
      } catch (error) {
        if (!gone) setShown({ state: "failed", file, message: error instanceof Error ? error.message : String(error) });
      }
    })();
    return () => {
      gone = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [file]);
  return shown;
}

export function EvidenceList({ files }: { files: EvidenceFile[] }) {
  const { t } = useTranslation("reviewer");
  const [selected, setSelected] = useState<EvidenceFile | null>(files[0] ?? null);
  const shown = useBlob(selected);
  if (files.length === 0) return <Empty>{t("case.noEvidence")}</Empty>;
  return (
    <>
      <div className="reviewer-files" role="group" aria-label={t("case.evidence")}>
        {files.map((file) => {
          const on = selected?.id === file.id;
          return (
            <button
              key={file.id}
              type="button"
              className="secondary"
              aria-pressed={on}
              onClick={() => setSelected(file)}
            >
              <span className="visually-hidden">{t("case.showPrefix")} </span>
              <strong>{file.filename}</strong>{" "}
              <span className="muted">
                ({t("case.fileInfo", { type: file.contentType, size: fileSize(file.size, currentLanguage()) })})
              </span>
            </button>
          );
        })}
      </div>
      <Viewer shown={shown} />
    </>
  );
}

function Viewer({ shown }: { shown: Shown }) {
  const { t } = useTranslation("reviewer");
  if (shown.state === "idle") return null;
  if (shown.state === "loading") {
    return (
      <p className="muted" role="status">
        {t("case.loadingFile")}
      </p>
    );
  }
  if (shown.state === "failed") {
    return (
      <p className="form-errors" role="alert">
        {t("case.fileFailed", { message: shown.message })}
      </p>
    );
  }
  const { file, url, type } = shown;
  const name = file.filename;
  const save = (
    <a className="button secondary small" href={url} download={name}>
      {t("case.download", { name })}
    </a>
  );
  if (IMAGES.has(type)) {
    return (
      <div className="reviewer-viewer">
        <img className="evidence-image" src={url} alt={t("case.imageAlt", { name })} />
        <div className="actions">{save}</div>
      </div>
    );
  }
  if (type === PDF) {
    return (
      <div className="reviewer-viewer">
        <p className="hint">{t("case.pdfNote")}</p>
        <div className="actions">
          <a className="button secondary small" href={url} target="_blank" rel="noopener noreferrer">
            {t("case.openPdf")}
          </a>
          {save}
        </div>
        <PdfPages bytes={shown.bytes} name={name} />
      </div>
    );
  }
  return (
    <div className="reviewer-viewer">
      <p className="muted">{t("case.otherType")}</p>
      <div className="actions">{save}</div>
    </div>
  );
}
