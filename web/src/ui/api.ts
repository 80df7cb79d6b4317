import { createContext, useContext } from "react";
import type { Api } from "../api/client";

export const ApiContext = createContext<Api | null>(null);

/** The portal's API (the urql client, the live socket): for what `useQuery` cannot do. */
export function useApi(): Api {
  const api = useContext(ApiContext);
  if (api === null) throw new Error("useApi outside <App>");
  return api;
}
