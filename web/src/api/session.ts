// The signed-in account, kept as OWASP advises for a single-page app: the access token
// lives in this module's memory only (never in storage a script could read later); the
// refresh token is the gateway's HttpOnly cookie on /auth, spent by `refresh()`.
import { useSyncExternalStore } from "react";

export type Role = "LEARNER" | "REVIEWER" | "INSTITUTION" | "ADMIN";

export interface Account {
  id: string;
  role: Role;
  displayName: string;
}

export type SessionState =
  | { status: "loading" }
  | { status: "anonymous" }
  | { status: "signed-in"; account: Account };

/** A refusal of the gateway's /auth routes: its message (in the language asked), code
 * and the field it names, when it names one. */
export class AuthRefusal extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly field: string | null,
    readonly status: number,
  ) {
    super(message);
  }
}

let state: SessionState = { status: "loading" };
let accessToken: string | null = null;
let expiresAt = 0;
let refreshing: Promise<string | null> | null = null;
const listeners = new Set<() => void>();
let languageOf: () => string = () => "zh-CN";

function set(next: SessionState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

/** The language every call to the gateway asks for (Accept-Language). */
export function setLanguageSource(source: () => string): void {
  languageOf = source;
}

export function currentLanguage(): string {
  return languageOf();
}

export function getSession(): SessionState {
  return state;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSession, getSession);
}

/** The access token, when one is held. */
export function token(): string | null {
  return accessToken;
}

/** Whether the token is missing or expires within `margin` seconds. */
export function tokenStale(margin = 30): boolean {
  return accessToken === null || Date.now() / 1000 > expiresAt - margin;
}

function expiryOf(jwt: string): number {
  try {
    const payload = JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return typeof payload.exp === "number" ? payload.exp : 0;
  } catch {
    return 0;
  }
}

let renewal: ReturnType<typeof setTimeout> | null = null;

function accept(tokenValue: string, account: Account): void {
  accessToken = tokenValue;
  expiresAt = expiryOf(tokenValue);
  // renewed a minute before it expires while the page is open, so a live socket and the
  // next request never meet an expired token
  if (renewal !== null) clearTimeout(renewal);
  const due = Math.max(5, expiresAt - Date.now() / 1000 - 60);
  renewal = expiresAt > 0 ? setTimeout(() => void refresh().catch(() => undefined), due * 1000) : null;
  set({ status: "signed-in", account });
}

function forget(): void {
  if (renewal !== null) clearTimeout(renewal);
  renewal = null;
  accessToken = null;
  expiresAt = 0;
  set({ status: "anonymous" });
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      "Accept-Language": languageOf(),
      "X-CB-Client": "portal",
      ...headers,
    },
    body: JSON.stringify(body ?? {}),
  });
}

async function refusalOf(response: Response): Promise<AuthRefusal> {
  let body: { error?: string; code?: string; field?: string | null } = {};
  try {
    body = await response.json();
  } catch {
    // not JSON: a proxy's page; the status says enough
  }
  return new AuthRefusal(
    body.error ?? response.statusText,
    body.code ?? `HTTP_${response.status}`,
    body.field ?? null,
    response.status,
  );
}

async function signedIn(response: Response): Promise<Account> {
  if (!response.ok) throw await refusalOf(response);
  const body = (await response.json()) as { token: string; account: Account };
  accept(body.token, body.account);
  return body.account;
}

export async function login(email: string, password: string): Promise<Account> {
  return signedIn(await post("/auth/login", { email, password }));
}

export async function signup(email: string, password: string, displayName: string): Promise<Account> {
  return signedIn(await post("/auth/signup", { email, password, displayName }));
}

/** Spend the refresh cookie for a new access token; null (and signed out) when there is
 * none or it is refused. Concurrent callers share one request: the cookie rotates, so
 * two refreshes at once would spend it twice. */
export function refresh(): Promise<string | null> {
  refreshing ??= (async () => {
    try {
      const response = await post("/auth/refresh", {});
      if (response.status === 401 || response.status === 403) {
        forget();
        return null;
      }
      await signedIn(response);
      return accessToken;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** A token good for at least the next half minute, refreshed when needed. */
export async function freshToken(): Promise<string | null> {
  if (!tokenStale()) return accessToken;
  if (state.status === "anonymous") return null;
  return refresh();
}

export async function logout(): Promise<void> {
  const headers: Record<string, string> = accessToken ? { Authorization: `Bearer ${accessToken}` } : {};
  try {
    await post("/auth/logout", {}, headers);
  } finally {
    forget();
  }
}

/** At start: a session from the refresh cookie, if the browser holds one. */
export async function resume(): Promise<void> {
  try {
    await refresh();
  } catch {
    forget();
  }
}
