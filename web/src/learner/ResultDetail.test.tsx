// A result's page as the learner sees it: the steps of its certification, the reviewer's
// reason, answering a request for information, withdrawing after a confirmation, and
// the credits or why there are none.
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { DocumentNode } from "graphql";
import { MemoryRouter, Route, Routes } from "react-router";
import { Provider, type Client } from "urql";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fromValue, never } from "wonka";
import i18n from "../i18n";
import { UploadContext } from "./EvidenceFiles";
import ResultDetail from "./ResultDetail";
import type { UploadedEvidence, Uploader } from "./upload";

interface Request {
  query: DocumentNode;
  variables: Record<string, unknown>;
}
const nameOf = (request: Request) => {
  const definition = request.query.definitions[0];
  return "name" in definition && definition.name ? definition.name.value : "";
};

function outcome(status: string, change: Record<string, unknown> = {}) {
  return {
    __typename: "Outcome",
    id: "r1",
    title: "Kindergarten principal qualification certificate",
    kind: "QUALIFICATION_CERTIFICATE",
    issuer: "Chongqing Municipal Education Commission",
    credentialCode: null,
    achievedOn: "2024-06-30",
    hours: null,
    status,
    submittedAt: "2026-12-01T02:00:00Z",
    evidence: [{ __typename: "Evidence", id: "e1", filename: "principal.pdf", size: 321 }],
    certification: {
      __typename: "Certification",
      id: "c1",
      status: "NEEDS_INFO",
      submittedOn: "2026-12-01",
      dueOn: "2026-12-22",
      decidedAt: "2026-12-02T03:00:00Z",
      reason: "Please upload the back of the certificate.",
      verifiedCredentialCode: null,
      workingDaysLeft: 14,
      overdue: false,
      history: [
        { __typename: "CertificationStep", status: "PENDING", at: "2026-12-01T02:00:00Z", note: "submitted" },
        { __typename: "CertificationStep", status: "IN_REVIEW", at: "2026-12-02T02:00:00Z", note: "claimed" },
        { __typename: "CertificationStep", status: "NEEDS_INFO", at: "2026-12-02T03:00:00Z", note: "Please upload the back of the certificate." },
      ],
    },
    conversions: [],
    conversionRefusals: [],
    ...change,
  };
}

function setup(shown: ReturnType<typeof outcome>) {
  const executeQuery = vi.fn((request: Request) =>
    nameOf(request) === "LearnerResult" ? fromValue({ operation: request, data: { outcome: shown }, stale: false, hasNext: false }) : never,
  );
  const executeMutation = vi.fn((request: Request) =>
    fromValue({
      operation: request,
      data:
        nameOf(request) === "LearnerWithdrawResult"
          ? { withdrawResult: { __typename: "Outcome", id: "r1", status: "WITHDRAWN" } }
          : { resubmitResult: { __typename: "Outcome", id: "r1", status: "SUBMITTED", evidence: [] } },
    }),
  );
  const client = { executeQuery, executeMutation, executeSubscription: () => never, suspense: false } as unknown as Client;
  const upload: Uploader = (file) => ({
    done: Promise.resolve<UploadedEvidence>({ id: "e2", filename: file.name, size: file.size, contentType: file.type }),
    abort: () => undefined,
  });
  render(
    <Provider value={client}>
      <UploadContext.Provider value={upload}>
        <MemoryRouter initialEntries={["/learner/results/r1"]}>
          <Routes>
            <Route path="/learner/results/:id" element={<ResultDetail />} />
          </Routes>
        </MemoryRouter>
      </UploadContext.Provider>
    </Provider>,
  );
  return { executeMutation };
}

describe("a result's page", { timeout: 20000 }, () => {
  beforeEach(async () => {
    await act(async () => void (await i18n.changeLanguage("en")));
  });
  afterEach(async () => {
    await act(async () => void (await i18n.changeLanguage("zh-CN")));
  });

  it("shows the steps, the reason and answers a request for information with a note and a new file", async () => {
    const user = userEvent.setup();
    const { executeMutation } = setup(outcome("NEEDS_INFO"));
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Kindergarten principal qualification certificate");
    const steps = within(document.querySelector("ol.timeline") as HTMLElement).getAllByRole("listitem");
    expect(steps.map((step) => step.querySelector(".badge")?.textContent)).toEqual([
      "Submitted, waiting for a reviewer",
      "Taken up by a reviewer",
      "More information requested",
    ]);
    // the service's own words are not shown; the reviewer's are
    expect(screen.queryByText("claimed")).not.toBeInTheDocument();
    expect(screen.getAllByText(/Please upload the back of the certificate\./).length).toBeGreaterThan(0);
    expect(screen.getByText("waiting for your answer")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Send the answer" }));
    expect(screen.getByLabelText("Your answer")).toHaveAccessibleDescription("Write your answer.");
    expect(executeMutation).not.toHaveBeenCalled();

    await user.type(screen.getByLabelText("Your answer"), "The back side is attached.");
    await user.upload(screen.getByLabelText("Choose files"), new File(["%PDF-1.4"], "back.pdf", { type: "application/pdf" }));
    await screen.findByText("Uploaded");
    await user.click(screen.getByRole("button", { name: "Send the answer" }));
    await waitFor(() => expect(executeMutation).toHaveBeenCalledTimes(1));
    expect(executeMutation.mock.calls[0][0].variables).toEqual({ id: "r1", note: "The back side is attached.", evidenceIds: ["e2"] });
  });

  it("withdraws only after the learner confirms", async () => {
    const user = userEvent.setup();
    const { executeMutation } = setup(outcome("SUBMITTED", { certification: null }));
    expect(screen.getByText("The review case is being opened…")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Withdraw this result" }));
    expect(screen.getByText("Are you sure? The review stops and cannot be resumed.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(executeMutation).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Withdraw this result" }));
    await user.click(screen.getByRole("button", { name: "Withdraw" }));
    await waitFor(() => expect(executeMutation).toHaveBeenCalledTimes(1));
    expect(executeMutation.mock.calls[0][0].variables).toEqual({ id: "r1" });
  });

  it("shows the credits with their explanation, and why a course gave none", () => {
    setup(
      outcome("CERTIFIED", {
        certification: { ...outcome("CERTIFIED").certification, status: "APPROVED", reason: null, history: [] },
        conversions: [
          {
            __typename: "Conversion",
            id: "v1",
            credits: "3.00",
            status: "ACTIVE",
            convertedAt: "2026-12-03T02:00:00Z",
            expiresOn: null,
            ruleVersion: 2,
            explanation: "Kindergarten principal qualification certificate converts to Teaching and research work management: 3.0 credits by rule version 2",
            course: { __typename: "Course", code: "PE-TRWM", name: "Teaching and research work management" },
          },
        ],
        conversionRefusals: [
          {
            __typename: "ConversionRefusal",
            code: "ANNUAL_CAP",
            at: "2026-12-03T02:00:00Z",
            reason: "the annual cap of 30 credits is reached",
            course: { __typename: "Course", code: "PE-X", name: "Another course" },
            rule: { __typename: "ConversionRule", id: "7", version: 1 },
          },
        ],
      }),
    );
    expect(screen.getByText("3.0 credits")).toBeInTheDocument();
    expect(screen.getByText(/rule version 2/, { selector: "div" })).toBeInTheDocument();
    expect(screen.getByText(/converts to Teaching and research work management/)).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Why there are no (or fewer) credits" })).toBeInTheDocument();
    expect(screen.getByText("the annual cap of 30 credits is reached")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Withdraw this result" })).not.toBeInTheDocument();
  });
});
