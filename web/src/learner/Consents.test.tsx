// The learner's consents: each with its status in words (active, revoked, expired); Revoke
// asks once more inline, Cancel leaves it, confirming revokes it and the list is asked again.
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import Consents from "./Consents";
import { Providers, testClient } from "./consentTestClient";

function consent(id: string, name: string, extra: { active: boolean; revokedAt?: string | null; expiresAt?: string }) {
  return {
    __typename: "Consent",
    id,
    grantedAt: "2026-06-01T08:00:00Z",
    expiresAt: extra.expiresAt ?? "2027-06-01T15:59:59Z",
    revokedAt: extra.revokedAt ?? null,
    active: extra.active,
    institution: {
      __typename: "Account",
      id: `${id}-inst`,
      displayName: name,
      institution: { __typename: "Institution", id: `${id}-inst`, code: id.toUpperCase(), name, city: "Chongqing" },
    },
  };
}

describe("Consents", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });
  afterEach(async () => {
    cleanup();
    await i18n.changeLanguage("zh-CN");
  });

  it("lists each consent's status and revokes one after an inline confirmation", async () => {
    let revoked = false;
    const test = testClient({
      LearnerConsentsList: () => ({
        data: {
          me: {
            __typename: "Account",
            id: "me",
            consentsConnection: {
              __typename: "ConsentConnection",
              totalCount: 3,
              pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
              nodes: [
                consent("cqnu", "Chongqing Normal University", revoked ? { active: false, revokedAt: "2026-12-01T09:00:00Z" } : { active: true }),
                consent("swu", "Southwest University", { active: false, revokedAt: "2026-10-01T09:00:00Z" }),
                consent("cqu", "Chongqing University", { active: false, expiresAt: "2026-09-01T15:59:59Z" }),
              ],
            },
          },
        },
      }),
      LearnerConsentsRevoke: () => {
        revoked = true;
        return {
          data: {
            revokeConsent: { __typename: "Consent", id: "cqnu", revokedAt: "2026-12-01T09:00:00Z", active: false, expiresAt: "2027-06-01T15:59:59Z" },
          },
        };
      },
    });
    render(
      <Providers test={test}>
        <Consents />
      </Providers>,
    );
    const user = userEvent.setup();
    const items = await screen.findAllByRole("listitem");
    expect(items).toHaveLength(3);
    expect(within(items[0]).getByText("Active")).toBeInTheDocument();
    expect(within(items[1]).getByText("Revoked")).toBeInTheDocument();
    expect(within(items[2]).getByText("Expired")).toBeInTheDocument();
    // only an active consent can be revoked
    expect(screen.getAllByRole("button", { name: /^Revoke access for/ })).toHaveLength(1);

    await user.click(screen.getByRole("button", { name: "Revoke access for Chongqing Normal University" }));
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(test.asked.some((op) => op.kind === "mutation")).toBe(false);

    await user.click(screen.getByRole("button", { name: "Revoke access for Chongqing Normal University" }));
    const confirm = screen.getByRole("group", { name: "Confirm revoking access for Chongqing Normal University" });
    await user.click(within(confirm).getByRole("button", { name: "Yes, revoke access" }));

    const mutation = test.asked.find((op) => op.kind === "mutation");
    expect(mutation?.variables).toEqual({ consentId: "cqnu" });
    await waitFor(() => expect(within(screen.getAllByRole("listitem")[0]).getByText("Revoked")).toBeInTheDocument());
    expect(screen.queryAllByRole("button", { name: /^Revoke access for/ })).toHaveLength(0);
  });
});
