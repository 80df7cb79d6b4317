// An evidence file as the signed-in account may read it: GET /evidence/{id} with the
// session's token (a plain link or <img src> would carry none), once more with a renewed
// token when the first answer says it expired meanwhile.
import { currentLanguage, freshToken, refresh } from "./session";

export async function fetchEvidence(id: string): Promise<Response> {
  const ask = (token: string | null) =>
    fetch(`/evidence/${encodeURIComponent(id)}`, {
      credentials: "same-origin",
      cache: "no-store",
      headers: {
        "X-CB-Client": "portal",
        "Accept-Language": currentLanguage(),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
    });
  const response = await ask(await freshToken());
  return response.status === 401 ? ask(await refresh()) : response;
}
