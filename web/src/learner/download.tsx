// A learner's own evidence file, downloaded on request: GET /evidence/{id} with the
// session's token (a plain link would carry none), saved under its own name.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { fetchEvidence } from "../api/evidence";
import { saveBlob } from "../ui/save";

export function DownloadEvidence({ id, filename }: { id: string; filename: string }) {
  const { t } = useTranslation("learner");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function save() {
    setBusy(true);
    setProblem(null);
    try {
      const response = await fetchEvidence(id);
      if (!response.ok) {
        let message = `${response.status} ${response.statusText}`;
        try {
          message = ((await response.json()) as { error?: string }).error ?? message;
        } catch {
          // not JSON
        }
        setProblem(message);
        return;
      }
      saveBlob(await response.blob(), filename);
    } catch {
      setProblem(t("upload.failed"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="link" onClick={() => void save()} disabled={busy} aria-label={t("detail.download", { name: filename })}>
        {filename}
      </button>
      {problem ? (
        <span className="field-error" role="alert">
          {" "}
          {problem}
        </span>
      ) : null}
    </>
  );
}
