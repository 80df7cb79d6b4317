// The transcript: every page of conversions read, grouped by major with an exact subtotal
// (revoked credits shown, not counted); Print prints once everything is there.
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import Transcript from "./Transcript";
import { Providers, testClient } from "./consentTestClient";
import { sumCredits } from "./transcriptMath";

const MAJOR = { __typename: "Major", code: "PRESCHOOL-EDU", name: "Preschool Education" };

function conversion(id: string, code: string, name: string, credits: string, status = "ACTIVE") {
  return {
    __typename: "Conversion",
    id,
    credits,
    status,
    convertedAt: "2026-12-01T08:00:00Z",
    expiresOn: null,
    course: { __typename: "Course", code, name, credits, major: MAJOR },
    outcome: { __typename: "Outcome", id: `o-${id}`, title: `Result ${id}` },
  };
}

const page = (nodes: unknown[], next: string | null, total = nodes.length) => ({
  totalCount: total,
  pageInfo: { __typename: "PageInfo", hasNextPage: next !== null, endCursor: next },
  nodes,
});

describe("Transcript", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });
  afterEach(async () => {
    cleanup();
    await i18n.changeLanguage("zh-CN");
  });

  it("reads every page, sums each major exactly without revoked credits, and prints", async () => {
    const test = testClient({
      LearnerTranscript: {
        data: {
          me: {
            __typename: "Account",
            id: "me",
            displayName: "Li Na",
            email: "li.na@example.org",
            balance: { __typename: "Balance", available: "5.5", redeemed: "0.0", expired: "0.0", earned: "5.5" },
            outcomesConnection: { __typename: "OutcomeConnection", ...page([], null) },
            conversionsConnection: {
              __typename: "ConversionConnection",
              ...page([conversion("c1", "PE-TRWM", "Teaching and research work management", "3.0")], "cursor-1", 3),
            },
            certificatesConnection: { __typename: "AwardedCertificateConnection", ...page([], null) },
          },
        },
      },
      LearnerTranscriptMoreConversions: (variables) => ({
        data: {
          me: {
            __typename: "Account",
            id: "me",
            conversionsConnection: {
              __typename: "ConversionConnection",
              ...(variables.after === "cursor-1"
                ? page([conversion("c2", "PE-CGADO", "Children's game activity design and organization", "2.5")], "cursor-2")
                : page([conversion("c3", "PE-X", "A revoked course", "4.0", "REVOKED")], null)),
            },
          },
        },
      }),
    });
    const print = vi.spyOn(window, "print").mockImplementation(() => undefined);
    render(
      <Providers test={test}>
        <Transcript />
      </Providers>,
    );
    expect(await screen.findByText("Li Na")).toBeInTheDocument();
    const credits = screen.getByRole("region", { name: "Credits by major and course" });
    await waitFor(() => expect(within(credits).getAllByRole("row")).toHaveLength(5)); // head, 3 rows, subtotal
    expect(within(credits).getByRole("heading", { level: 3 })).toHaveTextContent("Preschool Education (PRESCHOOL-EDU)");
    const subtotal = within(credits).getByRole("rowheader", { name: "Credits in this major" }).closest("tr")!;
    expect(subtotal).toHaveTextContent("5.5");
    expect(within(credits).getByText("Revoked")).toBeInTheDocument();

    const button = screen.getByRole("button", { name: "Print" });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.setup().click(button);
    expect(print).toHaveBeenCalledOnce();
  });

  it("adds credits as decimals, never as floats", () => {
    expect(sumCredits(["0.1", "0.2"])).toBe("0.3");
    expect(sumCredits(["3.0", "2.5", "1"])).toBe("6.5");
    expect(sumCredits(["1.25", "-0.5"])).toBe("0.75");
    expect(sumCredits([])).toBe("0.0");
  });
});
