// The feed: events as they arrive over the socket, newest first, the last 100 kept, each
// with its type, learner and a sentence saying what happened; sent by the document's hash.
import { act, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { never } from "wonka";
import { describe, expect, it, vi } from "vitest";
import type { Api } from "../api/client";
import i18n from "../i18n";
import { ApiContext } from "../ui/api";
import Feed from "./Feed";

interface Sink {
  next: (value: { data?: unknown; errors?: { message: string }[] }) => void;
}

function fakeApi() {
  const sinks: Sink[] = [];
  const payloads: Record<string, unknown>[] = [];
  const socket = {
    on: vi.fn(() => () => undefined),
    subscribe: vi.fn((payload: Record<string, unknown>, sink: Sink) => {
      payloads.push(payload);
      sinks.push(sink);
      return () => undefined;
    }),
  };
  const client = { executeQuery: vi.fn(() => never), executeMutation: vi.fn(() => never), executeSubscription: vi.fn(() => never) } as unknown as Client;
  const api = { client, socket, refetchAll: () => undefined } as unknown as Api;
  return { api, client, sinks, payloads };
}

function event(n: number) {
  return {
    creditEvents: {
      id: `e${n}`,
      cursor: `cf:${n}`,
      type: "credits.redeemed",
      learnerId: "4f1c2d3e-0000-0000-0000-000000000000",
      occurredAt: "2026-12-01T08:00:00Z",
      data: { courseCode: "PE-TRWM", credits: `${n}.0` },
    },
  };
}

describe("the credit-event feed", () => {
  it("shows events newest first and keeps the last 100", async () => {
    await i18n.changeLanguage("en");
    const { api, client, sinks, payloads } = fakeApi();
    render(
      <ApiContext.Provider value={api}>
        <Provider value={client}>
          <MemoryRouter>
            <Feed />
          </MemoryRouter>
        </Provider>
      </ApiContext.Provider>,
    );
    expect(payloads[0]).toMatchObject({ query: "", operationName: "InstitutionFeed", variables: { after: null } });
    expect((payloads[0].extensions as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash).toMatch(/^[0-9a-f]{64}$/);
    act(() => {
      for (let n = 1; n <= 105; n++) sinks[0].next({ data: event(n) });
    });
    const items = within(screen.getByTestId("feed-events")).getAllByRole("listitem");
    expect(items).toHaveLength(100);
    expect(items[0]).toHaveTextContent("Credits redeemed");
    expect(items[0]).toHaveTextContent("Learner 4f1c2d3e: 105.0 credits of PE-TRWM redeemed");
    expect(items[99]).toHaveTextContent("6.0 credits");
    expect(screen.getByTestId("feed-live")).toHaveTextContent("Live");
  });
});
