import { render, screen, within } from "@testing-library/react";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { Provider, type Client } from "urql";
import { fromValue, never } from "wonka";
import { MemoryRouter } from "react-router";
import i18n from "../i18n";
import Stats from "./Stats";
import { changesOf } from "./CatalogHistory";

beforeAll(async () => {
  await i18n.changeLanguage("en");
  // recharts measures its container
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});

const stats = {
  __typename: "Stats",
  id: "stats",
  accountsByRole: [{ __typename: "RoleCount", role: "LEARNER", count: 3, disabled: 1, closed: 0 }],
  creditsByMonth: [{ __typename: "CreditMonth", month: "2026-11", converted: "5.50", redeemed: "2.00", expired: "0.00", revoked: "0.00", reversed: "0.00" }],
  decisionsByMonth: [{ __typename: "DecisionMonth", month: "2026-11", decided: 4, onTime: 3, late: 1 }],
  openCases: 2,
  overdueCases: 1,
  resultsByStatus: [{ __typename: "OutcomeStatusCount", status: "CERTIFIED", count: 4 }],
  resultsByKind: [{ __typename: "OutcomeKindCount", kind: "ONLINE_COURSE", count: 4 }],
};

describe("the figures", () => {
  it("names each chart and gives its numbers as a table, credits as the API's decimals", async () => {
    const client = {
      executeQuery: vi.fn(() => fromValue({ data: { stats }, stale: false, hasNext: false })),
      executeMutation: vi.fn(() => never),
      executeSubscription: vi.fn(() => never),
    } as unknown as Client;
    render(
      <Provider value={client}>
        <MemoryRouter>
          <Stats />
        </MemoryRouter>
      </Provider>,
    );
    expect(await screen.findByRole("img", { name: /Review decisions per month.*3 decided on time, 1 late/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /Credits per month, by kind/ })).toBeInTheDocument();
    const credits = screen.getByRole("table", { name: "Credits per month, by kind" });
    const row = within(credits).getByRole("row", { name: /Nov 2026/ });
    expect(row).toHaveTextContent("5.5");
    expect(row).toHaveTextContent("2.0");
    const decisions = screen.getByRole("table", { name: "Review decisions per month" });
    expect(within(decisions).getByRole("row", { name: /Nov 2026/ })).toHaveTextContent(/4\s*3\s*1/);
  });
});

describe("a catalog change", () => {
  it("lists the fields that changed, from before to after", () => {
    expect(changesOf({ code: "A", credits: "1.5", version: 1 }, { code: "A", credits: "2.0", version: 2 })).toEqual([
      { field: "credits", before: "1.5", after: "2.0" },
      { field: "version", before: "1", after: "2" },
    ]);
    expect(changesOf(null, { code: "P", requiredCourseCodes: ["X", "Y"] })).toEqual([
      { field: "code", before: "—", after: "P" },
      { field: "requiredCourseCodes", before: "—", after: "X, Y" },
    ]);
  });
});
