// A PDF shown in the page without a plugin and without its own code: pdf.js parses it in
// a Web Worker and draws each page on a canvas (no script in the PDF runs, no frame, no
// plugin: Chromium's PDF viewer refuses sandboxed frames). pdf.js is loaded only when a
// PDF is first shown, from the portal's own origin (the CSP allows nothing else).
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

const MAX_PAGES = 20;

type PdfJs = typeof import("pdfjs-dist");

let loading: Promise<PdfJs> | null = null;

function pdfjs(): Promise<PdfJs> {
  loading ??= Promise.all([import("pdfjs-dist"), import("pdfjs-dist/build/pdf.worker.min.mjs?url")]).then(
    ([library, worker]) => {
      library.GlobalWorkerOptions.workerSrc = worker.default;
      return library;
    },
  );
  return loading;
}

export function PdfPages({ bytes, name }: { bytes: ArrayBuffer; name: string }) {
  const { t } = useTranslation("reviewer");
  const holder = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ pages: number; shown: number } | "failed" | null>(null);

  useEffect(() => {
    let cancelled = false;
    const target = holder.current;
    let destroy: (() => void) | null = null;
    void (async () => {
      try {
        const library = await pdfjs();
        const task = library.getDocument({ data: bytes.slice(0), isEvalSupported: false, enableXfa: false });
        destroy = () => void task.destroy();
        const document = await task.promise;
        const shown = Math.min(document.numPages, MAX_PAGES);
        for (let number = 1; number <= shown && !cancelled; number += 1) {
          const page = await document.getPage(number);
          const width = Math.min(target?.clientWidth || 800, 1000);
          const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
          const canvas = window.document.createElement("canvas");
          const ratio = window.devicePixelRatio || 1;
          canvas.width = Math.floor(viewport.width * ratio);
          canvas.height = Math.floor(viewport.height * ratio);
          canvas.className = "evidence-page";
          canvas.setAttribute("role", "img");
          canvas.setAttribute("aria-label", t("case.pdfPage", { name, page: number, pages: document.numPages }));
          const context = canvas.getContext("2d");
          if (!context) throw new Error("no 2d canvas");
          await page.render({
            canvas,
            canvasContext: context,
            viewport,
            transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
          }).promise;
          if (cancelled) return;
          target?.appendChild(canvas);
        }
        if (!cancelled) setState({ pages: document.numPages, shown });
      } catch {
        if (!cancelled) setState("failed");
      }
    })();
    return () => {
      cancelled = true;
      destroy?.();
      target?.replaceChildren();
    };
  }, [bytes, name, t]);

  return (
    <div className="evidence-pdf" data-testid="evidence-pdf">
      {state === null ? <p className="muted" role="status">{t("case.pdfLoading")}</p> : null}
      {state === "failed" ? <p className="field-error">{t("case.pdfFailed")}</p> : null}
      {state !== null && state !== "failed" && state.pages > state.shown ? (
        <p className="hint">{t("case.pdfMore", { shown: state.shown, pages: state.pages })}</p>
      ) : null}
      <div ref={holder} className="evidence-pages" />
    </div>
  );
}
