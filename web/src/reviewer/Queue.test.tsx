import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { Provider, type Client } from "urql";
import { fromValue, never } from "wonka";
import { beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import Queue from "./Queue";

function node(id: string, title: string, overdue: boolean, reviewer: { id: string; displayName: string } | null) {
  return {
    __typename: "Certification",
    id,
    status: reviewer ? "IN_REVIEW" : "PENDING",
    submittedOn: "2026-11-02",
    dueOn: "2026-11-23",
    workingDaysLeft: overdue ? -3 : 4,
    overdue,
    reviewer: reviewer ? { __typename: "Account", ...reviewer } : null,
    outcome: {
      __typename: "Outcome",
      id: `outcome-${id}`,
      title,
      kind: "QUALIFICATION_CERTIFICATE",
      learner: { __typename: "Account", id: "learner-1", displayName: "Li Na" },
    },
  };
}

const PAGE = {
  reviewQueueConnection: {
    __typename: "CertificationConnection",
    totalCount: 2,
    pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: "c2" },
    nodes: [
      node("c1", "Kindergarten principal certificate", true, null),
      node("c2", "Preschool teacher certificate", false, { id: "someone", displayName: "Reviewer Zhao" }),
    ],
  },
};

function renderAt(path: string) {
  const executeQuery = vi.fn((request: { variables: unknown }) => {
    void request;
    return fromValue({ data: PAGE, stale: false, hasNext: false });
  });
  const client = { executeQuery, executeMutation: vi.fn(() => never), executeSubscription: vi.fn(() => never) } as unknown as Client;
  render(
    <Provider value={client}>
      <MemoryRouter initialEntries={[path]}>
        <Queue />
      </MemoryRouter>
    </Provider>,
  );
  return executeQuery;
}

beforeEach(async () => {
  await i18n.changeLanguage("en");
});

describe("the review queue", () => {
  it("marks an overdue case with a badge and words, and offers a claim only where nobody holds the case", async () => {
    renderAt("/reviewer");
    const table = await screen.findByRole("table");
    const [overdue, held] = within(table).getAllByTestId("queue-row");
    expect(within(overdue).getByText("Overdue")).toBeInTheDocument();
    expect(within(overdue).getByText("3 working days past due")).toBeInTheDocument();
    expect(within(overdue).getByRole("button", { name: "Claim the case “Kindergarten principal certificate”" })).toBeInTheDocument();
    expect(within(overdue).getByRole("link", { name: "Open the case “Kindergarten principal certificate”" })).toHaveAttribute(
      "href",
      "/reviewer/cases/outcome-c1",
    );
    expect(within(held).queryByText("Overdue")).not.toBeInTheDocument();
    expect(within(held).queryByRole("button", { name: /Claim/ })).not.toBeInTheDocument();
    expect(within(held).getByText("Reviewer Zhao")).toBeInTheDocument();
  });

  it("asks the API with the filters of the URL, and keeps a changed filter there", async () => {
    const executeQuery = renderAt("/reviewer?overdue=1&kind=WORK_EXPERIENCE");
    await screen.findByRole("table");
    expect(executeQuery.mock.calls[0][0].variables).toMatchObject({
      overdue: true,
      kind: "WORK_EXPERIENCE",
      mine: false,
      unclaimed: false,
      status: null,
      learnerId: null,
    });
    expect(screen.getByLabelText("Overdue only")).toBeChecked();
    await userEvent.click(screen.getByLabelText("Not claimed yet"));
    expect(screen.getByLabelText("Not claimed yet")).toBeChecked();
    const last = executeQuery.mock.calls[executeQuery.mock.calls.length - 1][0].variables;
    expect(last).toMatchObject({ overdue: true, unclaimed: true, kind: "WORK_EXPERIENCE" });
  });
});
