// LearnerLive: each credit event the subscription delivers becomes a toast in the chosen
// language, naming the result or the course, and the queries on screen are asked again.
import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeResult, type OperationResult } from "urql";
import { makeSubject } from "wonka";
import i18n from "../i18n";
import { LearnerLive } from "./live";
import { Providers, testClient } from "./consentTestClient";

function setup() {
  const test = testClient({
    LearnerLiveOutcome: {
      data: { outcome: { __typename: "Outcome", id: "outcome-1", title: "幼儿园园长任职资格证书" } },
    },
    LearnerLiveCourse: (variables) => ({
      data: {
        searchCatalog: [
          { __typename: "CatalogMatch", kind: "COURSE", code: variables.code, name: "教研工作管理" },
          { __typename: "CatalogMatch", kind: "MAJOR", code: "PRESCHOOL-EDU", name: "学前教育" },
        ],
      },
    }),
  });
  const events = makeSubject<OperationResult>();
  const executeSubscription = vi
    .spyOn(test.client, "executeSubscription")
    .mockImplementation(() => events.source as unknown as ReturnType<typeof test.client.executeSubscription>);
  const emit = (event: { id: string; type: string; data: unknown }) => {
    const operation = executeSubscription.mock.calls[executeSubscription.mock.calls.length - 1][0];
    act(() => {
      events.next(
        makeResult(operation as never, {
          data: { creditEvents: { __typename: "CreditEvent", cursor: `cf:${event.id}`, occurredAt: "2026-12-01T08:00:00Z", ...event } },
        }),
      );
    });
  };
  render(
    <Providers test={test}>
      <LearnerLive />
    </Providers>,
  );
  return { test, executeSubscription, emit };
}

describe("LearnerLive", () => {
  afterEach(async () => {
    cleanup();
    await i18n.changeLanguage("zh-CN");
  });

  it("subscribes from now on (no after) and toasts a certified result in Chinese, then refreshes the pages", async () => {
    const { test, executeSubscription, emit } = setup();
    expect(executeSubscription).toHaveBeenCalled();
    expect(executeSubscription.mock.calls[0][0].variables).toEqual({});

    emit({ id: "e1", type: "certification.approved", data: { outcomeId: "outcome-1", kind: "QUALIFICATION_CERTIFICATE" } });

    expect(await screen.findByText("你的学习成果“幼儿园园长任职资格证书”已通过认证。")).toBeInTheDocument();
    await waitFor(() => expect(test.refetchAll).toHaveBeenCalled());
  });

  it("toasts credits arriving for a course by its name, in English when chosen, and each event once", async () => {
    await i18n.changeLanguage("en");
    const { emit } = setup();
    const converted = {
      id: "e2",
      type: "credits.converted",
      data: { conversionId: "c1", courseCode: "PE-TRWM", majorCode: "PRESCHOOL-EDU", credits: "3.00" },
    };
    emit(converted);
    expect(await screen.findByText("3.0 credits arrived for 教研工作管理.")).toBeInTheDocument();

    emit({ id: "e3", type: "credits.revoked", data: { courseCode: "PE-TRWM", credits: "3.0", reason: "forged certificate" } });
    expect(await screen.findByText("3.0 credits for 教研工作管理 were revoked. Reason: forged certificate")).toBeInTheDocument();

    emit(converted); // delivered again (a resumed stream): not shown twice
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.getAllByText("3.0 credits arrived for 教研工作管理.")).toHaveLength(1);
  });
});
