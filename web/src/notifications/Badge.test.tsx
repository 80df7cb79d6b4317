// The header's inbox link: the unread count in its name; a message arriving over the
// subscription asks the queries on screen again (the count among them) and, for roles
// other than the learner's, shows its title.
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import { Providers, testClient } from "../learner/consentTestClient";
import { InboxBadge } from "./Badge";

const added = {
  data: {
    notificationAdded: {
      __typename: "Notification",
      id: "n9",
      kind: "CONSENT_GRANTED",
      title: "A learner consented",
      createdAt: "2026-12-01T08:00:00Z",
    },
  },
};

describe("InboxBadge", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });
  afterEach(async () => {
    cleanup();
    await i18n.changeLanguage("zh-CN");
  });

  it("names the unread count and links to the role's inbox", async () => {
    const test = testClient({ NotificationsUnread: { data: { me: { __typename: "Account", id: "me", unreadNotifications: 3 } } } });
    render(
      <Providers test={test}>
        <InboxBadge role="ADMIN" />
      </Providers>,
    );
    // the visible words and count are the start of its name (WCAG 2.5.3)
    const link = await screen.findByRole("link", { name: /^Messages\s*3\s*unread$/ });
    expect(link).toHaveAttribute("href", "/reviewer/notifications");
  });

  it("says nothing unread as the plain name", async () => {
    const test = testClient({ NotificationsUnread: { data: { me: { __typename: "Account", id: "me", unreadNotifications: 0 } } } });
    render(
      <Providers test={test}>
        <InboxBadge role="LEARNER" />
      </Providers>,
    );
    expect(await screen.findByRole("link", { name: "Messages" })).toHaveAttribute("href", "/learner/notifications");
  });

  it("asks again when a message arrives and shows its title", async () => {
    const test = testClient({
      NotificationsUnread: { data: { me: { __typename: "Account", id: "me", unreadNotifications: 1 } } },
      NotificationsAdded: added,
    });
    render(
      <Providers test={test}>
        <InboxBadge role="INSTITUTION" />
      </Providers>,
    );
    expect(await screen.findByText("A learner consented")).toBeInTheDocument();
    await waitFor(() => expect(test.refetchAll).toHaveBeenCalled());
  });
});
