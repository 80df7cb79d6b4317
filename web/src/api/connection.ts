// Whether the gateway answers. A request that cannot reach it, or a live socket that
// closes, marks the connection lost (the banner shows); the page then asks /healthz every
// few seconds and, once it answers, marks it back and every query on screen is asked again.
import { useSyncExternalStore } from "react";

let online = true;
let probing: ReturnType<typeof setInterval> | null = null;
const listeners = new Set<() => void>();
const recoveries = new Set<() => void>();

function set(next: boolean): void {
  if (next === online) return;
  online = next;
  listeners.forEach((listener) => listener());
  if (next) recoveries.forEach((recover) => recover());
}

export function connectionLost(): void {
  set(false);
  probing ??= setInterval(probe, 2000);
}

export function connectionBack(): void {
  if (probing !== null) {
    clearInterval(probing);
    probing = null;
  }
  set(true);
}

async function probe(): Promise<void> {
  try {
    const response = await fetch("/healthz", { cache: "no-store" });
    if (response.ok) connectionBack();
  } catch {
    // still away
  }
}

export function onRecovery(recover: () => void): () => void {
  recoveries.add(recover);
  return () => recoveries.delete(recover);
}

export function useOnline(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => online,
  );
}

if (typeof window !== "undefined") {
  window.addEventListener("offline", connectionLost);
  window.addEventListener("online", () => void probe());
}
