// What the credential buttons share: ask the API for a signed credential when clicked,
// then save it as a file, or say why not (the refusal, in the language asked) under the
// buttons, tied to the download button by aria-describedby.
import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { saveJson } from "../ui/save";

export type Asked = { credential: unknown; filename: string } | { problem: string };

export function useCredentialDownload() {
  const { t } = useTranslation("credentials");
  const problemId = `${useId()}-problem`;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  async function download(ask: () => Promise<Asked>) {
    setBusy(true);
    setProblem(null);
    setSaved(null);
    try {
      const answer = await ask();
      if ("problem" in answer) {
        setProblem(answer.problem);
        return;
      }
      saveJson(answer.credential, answer.filename);
      setSaved(answer.filename);
    } finally {
      setBusy(false);
    }
  }

  /** The refusal, and what was saved or `news` of another button (whichever is given), in
   * a status line. */
  function notes(news?: string): ReactNode {
    return (
      <>
        {problem ? (
          <p className="field-error" id={problemId} role="alert">
            {problem}
          </p>
        ) : null}
        <p className="hint" role="status">
          {news ?? (saved ? t("saved", { name: saved }) : "")}
        </p>
      </>
    );
  }

  return { busy, download, describedBy: problem ? problemId : undefined, notes };
}
