// The message preferences: the address pre-filled from the account's e-mail the first
// time, only the role's kinds offered, what is saved, and a refusal next to its field.
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { Providers, testClient } from "../learner/consentTestClient";
import Preferences from "./Preferences";

vi.mock("../api/session", async (original) => ({
  ...(await original<typeof import("../api/session")>()),
  useSession: () => ({ status: "signed-in", account: { id: "me", role: "LEARNER", displayName: "Li Na" } }),
}));

const KINDS = ["CERTIFIED", "REJECTED", "CREDITS_CONVERTED", "CONSENT_GRANTED", "CASE_OVERDUE"];

function preferences(email: string | null, emailKinds: string[]) {
  return {
    data: {
      me: {
        __typename: "Account",
        id: "me",
        email: "li.na@example.org",
        notificationPreferences: { __typename: "NotificationPreferences", language: "zh-CN", email, emailKinds },
      },
      notificationKinds: KINDS,
    },
  };
}

describe("Preferences", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });
  afterEach(async () => {
    cleanup();
    await i18n.changeLanguage("zh-CN");
  });

  it("pre-fills the address from the account, offers the learner's kinds and saves the choice", async () => {
    const test = testClient({
      NotificationsPreferences: preferences(null, ["CERTIFIED"]),
      NotificationsSetPreferences: (variables) => ({
        data: { setNotificationPreferences: { __typename: "NotificationPreferences", ...variables } },
      }),
    });
    render(
      <Providers test={test}>
        <Preferences />
      </Providers>,
    );
    const user = userEvent.setup();
    const byEmail = await screen.findByRole("checkbox", { name: "Also send messages by e-mail" });
    expect(byEmail).not.toBeChecked();
    expect(screen.queryByLabelText("E-mail address")).toBeNull();
    // the learner's kinds only: no reviewer's or institution's
    expect(screen.getByRole("checkbox", { name: "Certified" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Credits converted" })).not.toBeChecked();
    expect(screen.queryByRole("checkbox", { name: "Case overdue" })).toBeNull();
    expect(screen.queryByRole("checkbox", { name: "Consent granted" })).toBeNull();

    await user.click(byEmail);
    expect(screen.getByLabelText("E-mail address")).toHaveValue("li.na@example.org");
    await user.selectOptions(screen.getByLabelText("Language of the e-mails"), "en");
    await user.click(screen.getByRole("checkbox", { name: "Credits converted" }));
    await user.click(screen.getByRole("button", { name: "Save preferences" }));
    expect(await screen.findByText("Preferences saved")).toBeInTheDocument();
    expect(test.asked.find((operation) => operation.kind === "mutation")?.variables).toEqual({
      language: "en",
      email: "li.na@example.org",
      emailKinds: ["CERTIFIED", "CREDITS_CONVERTED"],
    });
  });

  it("shows the API's refusal next to the address, and asks for one before sending", async () => {
    const test = testClient({
      NotificationsPreferences: preferences("old@example.org", []),
      NotificationsSetPreferences: { errors: [{ message: "Not an e-mail address.", extensions: { code: "INVALID", field: "email" } }] },
    });
    render(
      <Providers test={test}>
        <Preferences />
      </Providers>,
    );
    const user = userEvent.setup();
    const address = await screen.findByLabelText("E-mail address");
    expect(address).toHaveValue("old@example.org");
    await user.clear(address);
    await user.click(screen.getByRole("button", { name: "Save preferences" }));
    expect(await screen.findByText("Enter the address to write to, or untick e-mail.")).toBeInTheDocument();
    expect(test.asked.some((operation) => operation.kind === "mutation")).toBe(false);

    await user.type(address, "nope");
    await user.click(screen.getByRole("button", { name: "Save preferences" }));
    expect(await screen.findByText("Not an e-mail address.")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText("E-mail address")).toHaveAttribute("aria-invalid", "true"));
  });
});
