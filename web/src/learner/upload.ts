// Evidence files go to the gateway's `POST /evidence` (multipart, field `file`), one
// request per file, with XMLHttpRequest so the page can show how far each one got. The
// answer is the stored file ({id, filename, size, ...}); a refusal ({error, code, field})
// comes back as an AuthRefusal, which `refusals()` reads like the API's other refusals.
import { AuthRefusal, currentLanguage, freshToken } from "../api/session";

export interface UploadedEvidence {
  id: string;
  filename: string;
  size: number;
  contentType: string;
  sha256?: string;
}

export interface UploadHandle {
  done: Promise<UploadedEvidence>;
  abort: () => void;
}

/** Upload one file; `onProgress` gets the fraction sent (0..1) as it goes. */
export type Uploader = (file: File, onProgress: (fraction: number) => void) => UploadHandle;

export class UploadAborted extends Error {}

export const uploadEvidence: Uploader = (file, onProgress) => {
  const xhr = new XMLHttpRequest();
  let aborted = false;
  const done = (async () => {
    const bearer = await freshToken();
    if (aborted) throw new UploadAborted("aborted");
    return new Promise<UploadedEvidence>((resolve, reject) => {
      xhr.open("POST", "/evidence");
      if (bearer) xhr.setRequestHeader("Authorization", `Bearer ${bearer}`);
      xhr.setRequestHeader("X-CB-Client", "portal");
      xhr.setRequestHeader("Accept-Language", currentLanguage());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) onProgress(Math.min(1, event.loaded / event.total));
      };
      xhr.onload = () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(xhr.responseText || "{}");
        } catch {
          // not JSON (a proxy's page): the status says enough
        }
        if (xhr.status >= 200 && xhr.status < 300 && typeof body.id === "string") {
          onProgress(1);
          resolve(body as unknown as UploadedEvidence);
        } else {
          reject(
            new AuthRefusal(
              typeof body.error === "string" ? body.error : xhr.statusText || `HTTP ${xhr.status}`,
              typeof body.code === "string" ? body.code : `HTTP_${xhr.status}`,
              typeof body.field === "string" ? body.field : null,
              xhr.status,
            ),
          );
        }
      };
      xhr.onerror = () => reject(new AuthRefusal(xhr.statusText || "network error", "NETWORK", null, 0));
      xhr.onabort = () => reject(new UploadAborted("aborted"));
      const form = new FormData();
      form.append("file", file, file.name);
      xhr.send(form);
    });
  })();
  return {
    done,
    abort: () => {
      aborted = true;
      xhr.abort();
    },
  };
};
