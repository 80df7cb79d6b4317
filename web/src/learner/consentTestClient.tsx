// For the component tests of the transcript, directory, consents and live pages: a real
// urql client whose one exchange answers each operation by its name from the test's
// table (data or a GraphQL error), and records what was asked; the providers the pages
// need around them.
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";
import { Client, Provider, makeResult, type Exchange, type Operation } from "urql";
import { empty, filter, fromValue, mergeMap, pipe } from "wonka";
import { vi } from "vitest";
import type { Api } from "../api/client";
import { ApiContext } from "../ui/api";
import { ToastProvider } from "../ui/toasts";

export type Answer =
  | { data: unknown }
  | { errors: { message: string; extensions?: Record<string, unknown> }[] };

export type Answers = Record<string, Answer | ((variables: Record<string, unknown>) => Answer)>;

export interface TestClient {
  client: Client;
  asked: Operation[];
  api: Api;
  refetchAll: ReturnType<typeof vi.fn>;
}

function nameOf(operation: Operation): string {
  for (const definition of operation.query.definitions) {
    if (definition.kind === "OperationDefinition" && definition.name) return definition.name.value;
  }
  return "";
}

export function testClient(answers: Answers): TestClient {
  const asked: Operation[] = [];
  const exchange: Exchange = () => (operations$) =>
    pipe(
      operations$,
      filter((operation) => operation.kind !== "teardown"),
      mergeMap((operation) => {
        asked.push(operation);
        const given = answers[nameOf(operation)];
        if (given === undefined) return empty;
        const answer = typeof given === "function" ? given((operation.variables ?? {}) as Record<string, unknown>) : given;
        if ("errors" in answer) {
          return fromValue(makeResult(operation, { data: null, errors: answer.errors }));
        }
        return fromValue(makeResult(operation, { data: answer.data as Record<string, unknown> }));
      }),
    );
  const client = new Client({ url: "http://test/graphql", exchanges: [exchange] });
  const refetchAll = vi.fn();
  const api = { client, socket: undefined, refetchAll } as unknown as Api;
  return { client, asked, api, refetchAll };
}

export function Providers({ test, children, path = "/" }: { test: TestClient; children: ReactNode; path?: string }) {
  return (
    <ApiContext.Provider value={test.api}>
      <Provider value={test.client}>
        <ToastProvider>
          <MemoryRouter initialEntries={[path]}>{children}</MemoryRouter>
        </ToastProvider>
      </Provider>
    </ApiContext.Provider>
  );
}
