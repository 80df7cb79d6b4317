// The portal's GraphQL client: urql over HTTP for queries and mutations, graphql-ws for
// subscriptions, each operation sent as its trusted document's hash (the gateway runs
// only the documents of the build's manifest for the portal), with the access token of
// the session and the language the user reads.
import { authExchange } from "@urql/exchange-auth";
import { persistedExchange } from "@urql/exchange-persisted";
import { createClient as createSocket } from "graphql-ws";
import type { Client as SocketClient } from "graphql-ws";
import { pipe, tap } from "wonka";
import {
  Client,
  cacheExchange,
  fetchExchange,
  subscriptionExchange,
  type Exchange,
  type Operation,
} from "urql";
import { connectionBack, connectionLost, onRecovery } from "./connection";
import { currentLanguage, freshToken, refresh, subscribeSession, token, tokenStale } from "./session";

interface HashedDocument {
  __meta__?: { hash?: string };
}

/** The SHA-256 hex of a trusted document's text ("sha256:<hex>" in the codegen's meta). */
function hashOf(document: unknown): string {
  const hash = (document as HashedDocument).__meta__?.hash;
  if (!hash) throw new Error("an operation that is not a trusted document (run `npm run codegen`)");
  return hash.replace(/^sha256:/, "");
}

/** Watches every answer: a network error marks the connection lost, any answer marks it
 * back; on recovery (and when asked, e.g. after the language changes) every query on
 * screen is asked again from the network. */
function liveExchange(): { exchange: Exchange; refetchAll: () => void } {
  const active = new Map<number, Operation>();
  let client: Client | null = null;
  const refetchAll = () => {
    for (const operation of active.values()) {
      client?.reexecuteOperation({
        ...operation,
        context: { ...operation.context, requestPolicy: "network-only" },
      });
    }
  };
  const exchange: Exchange = ({ forward, client: owner }) => {
    client = owner;
    return (operations$) =>
      pipe(
        operations$,
        tap((operation) => {
          if (operation.kind === "teardown") active.delete(operation.key);
          else if (operation.kind === "query") active.set(operation.key, operation);
        }),
        forward,
        tap((result) => {
          if (result.error?.networkError) connectionLost();
          else connectionBack();
        }),
      );
  };
  return { exchange, refetchAll };
}

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}/graphql`;
}

export interface Api {
  client: Client;
  socket: SocketClient;
  refetchAll: () => void;
}

export function createApi(): Api {
  const socket = createSocket({
    url: socketUrl(),
    lazy: true,
    retryAttempts: Infinity,
    // a lost or closed socket is tried again (and the token renewed); an error thrown
    // while connecting is not a reason to spin
    shouldRetry: (event) => typeof event === "object" && event !== null && "code" in event,
    retryWait: async (retries) => {
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 10000)));
    },
    connectionParams: async () => {
      const current = await freshToken();
      // a browser's WebSocket sends no Accept-Language of its choosing: the gateway reads
      // the language here and live messages come in it
      const params = { client: "portal", "accept-language": currentLanguage() };
      return current ? { ...params, authorization: `Bearer ${current}` } : params;
    },
    on: {
      connected: (opened) => {
        open = opened as WebSocket;
        sentToken = token();
        connectionBack();
      },
      closed: (event) => {
        open = null;
        // 1000: closed on purpose (no subscription left); anything else is a lost line
        if ((event as CloseEvent).code !== 1000) connectionLost();
      },
    },
  });
  // the gateway closes a socket whose token expires unless a `ping` brings the next one
  // (gateway/subscriptions): each renewed token goes to the open socket at once
  let open: WebSocket | null = null;
  let sentToken: string | null = null;
  subscribeSession(() => {
    const current = token();
    if (current && current !== sentToken && open?.readyState === WebSocket.OPEN) {
      open.send(JSON.stringify({ type: "ping", payload: { authorization: `Bearer ${current}` } }));
      sentToken = current;
    }
  });
  const live = liveExchange();
  const client = new Client({
    url: "/graphql",
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
    fetchOptions: () => ({
      credentials: "same-origin",
      headers: { "X-CB-Client": "portal", "Accept-Language": currentLanguage() },
    }),
    exchanges: [
      cacheExchange,
      live.exchange,
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          const current = token();
          return current ? utils.appendHeaders(operation, { Authorization: `Bearer ${current}` }) : operation;
        },
        willAuthError: () => token() !== null && tokenStale(),
        didAuthError: (error) =>
          error.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED") ||
          error.response?.status === 401,
        async refreshAuth() {
          await refresh();
        },
      })),
      persistedExchange({
        enforcePersistedQueries: true,
        enableForMutation: true,
        enableForSubscriptions: true,
        generateHash: async (_query, document) => hashOf(document),
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request, operation) {
          const documentId = hashOf(operation.query);
          return {
            subscribe: (sink) => ({
              unsubscribe: socket.subscribe(
                {
                  // graphql-ws wants a string; an empty one is no text: the gateway
                  // runs the trusted document the hash names
                  query: "",
                  variables: request.variables as Record<string, unknown>,
                  operationName: request.operationName,
                  extensions: { persistedQuery: { version: 1, sha256Hash: documentId } },
                },
                sink,
              ),
            }),
          };
        },
      }),
    ],
  });
  onRecovery(live.refetchAll);
  return { client, socket, refetchAll: live.refetchAll };
}

