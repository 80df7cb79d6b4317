// The directory's grant form: a day that is not in the future is refused next to the field
// before anything is sent; the API's refusal naming expiresAt is shown next to the field
// too; a good day is sent as the end of that day in the bank's zone, in UTC.
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import Directory from "./Directory";
import { addDays, defaultExpiry, expiryInstant, expiryProblem } from "./consentDates";
import { Providers, testClient, type Answers } from "./consentTestClient";

const UNIVERSITY = {
  __typename: "Institution",
  id: "inst-1",
  code: "CQNU",
  name: "Chongqing Normal University",
  nameZh: "重庆师范大学",
  nameEn: "Chongqing Normal University",
  city: "Chongqing",
};

function answers(grant: Answers[string]): Answers {
  return {
    LearnerDirectoryInstitutions: {
      data: {
        institutions: {
          __typename: "InstitutionConnection",
          totalCount: 1,
          pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
          nodes: [UNIVERSITY],
        },
      },
    },
    LearnerDirectoryConsents: {
      data: { me: { __typename: "Account", id: "me", consentsConnection: { __typename: "ConsentConnection", nodes: [] } } },
    },
    LearnerDirectoryGrant: grant,
  };
}

async function openForm() {
  const user = userEvent.setup();
  await user.click(await screen.findByRole("button", { name: "Grant access to Chongqing Normal University" }));
  const form = screen.getByRole("form", { name: "Grant access to Chongqing Normal University" });
  const field = within(form).getByLabelText("Access until");
  return { user, form, field };
}

describe("Directory: granting access", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });
  afterEach(async () => {
    cleanup();
    await i18n.changeLanguage("zh-CN");
  });

  it("offers a year from today and refuses a day in the past next to the field, sending nothing", async () => {
    const test = testClient(answers({ data: null }));
    render(
      <Providers test={test}>
        <Directory />
      </Providers>,
    );
    const { user, form, field } = await openForm();
    expect(field).toHaveValue(defaultExpiry());

    await user.clear(field);
    await user.type(field, "2020-01-01");
    await user.click(within(form).getByRole("button", { name: "Grant access" }));

    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(field).toHaveAccessibleDescription(/Choose a day in the future\./);
    expect(test.asked.some((op) => op.kind === "mutation")).toBe(false);
  });

  it("shows the API's refusal naming expiresAt next to the field", async () => {
    const test = testClient(
      answers({
        errors: [
          {
            message: "expiresAt must be at most one year ahead",
            extensions: { code: "BAD_USER_INPUT", field: "expiresAt" },
          },
        ],
      }),
    );
    render(
      <Providers test={test}>
        <Directory />
      </Providers>,
    );
    const { user, form, field } = await openForm();
    await user.click(within(form).getByRole("button", { name: "Grant access" }));

    await waitFor(() => expect(field).toHaveAccessibleDescription(/expiresAt must be at most one year ahead/));
    expect(field).toHaveAttribute("aria-invalid", "true");
    // named by the field, so not repeated above the buttons
    expect(within(form).queryByText("expiresAt must be at most one year ahead", { selector: ".form-errors p" })).toBeNull();
  });

  it("sends the end of the chosen day in Beijing, in UTC, and says until when", async () => {
    const day = addDays(defaultExpiry(), -30);
    const test = testClient(
      answers((variables) => ({
        data: {
          grantConsent: {
            __typename: "Consent",
            id: "consent-1",
            grantedAt: "2026-12-01T08:00:00Z",
            expiresAt: variables.expiresAt,
            revokedAt: null,
            active: true,
            institution: { __typename: "Account", id: "inst-1", displayName: "CQNU" },
          },
        },
      })),
    );
    render(
      <Providers test={test}>
        <Directory />
      </Providers>,
    );
    const { user, form, field } = await openForm();
    await user.clear(field);
    await user.type(field, day);
    await user.click(within(form).getByRole("button", { name: "Grant access" }));

    await screen.findByText(/Chongqing Normal University has access until/);
    const mutation = test.asked.find((op) => op.kind === "mutation");
    expect(mutation?.variables).toEqual({ institutionId: "inst-1", expiresAt: expiryInstant(day) });
    expect(expiryInstant(day)).toBe(new Date(`${day}T15:59:59Z`).toISOString().replace(".000Z", "Z"));
  });
});

describe("the expiry's day", () => {
  // 2026-12-01 20:00 UTC is already 2 December in Beijing
  const now = new Date("2026-12-01T20:00:00Z");

  it("must come after today and at most a year from today, in the bank's calendar", () => {
    expect(expiryProblem("", now)).toBe("required");
    expect(expiryProblem("2026-12-02", now)).toBe("past");
    expect(expiryProblem("2026-12-03", now)).toBeNull();
    expect(expiryProblem("2027-12-02", now)).toBeNull();
    expect(expiryProblem("2027-12-03", now)).toBe("tooFar");
  });

  it("ends at the end of the day in Beijing, never later than the API's year from now", () => {
    expect(expiryInstant("2027-06-30", now)).toBe("2027-06-30T15:59:59Z");
    expect(expiryInstant("2027-12-02", now)).toBe("2027-12-01T19:55:00Z");
  });
});
