// The inbox: messages as the API gives them (newest first), each linking to what it is
// about as the reader's role sees it, unread ones marked; mark one read, mark all read;
// "Unread only" asks the API for the unread ones; the kinds' names in both languages.
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { Providers, testClient, type Answers } from "../learner/consentTestClient";
import Inbox from "./Inbox";

const role = vi.hoisted(() => ({ current: "LEARNER" }));
vi.mock("../api/session", async (original) => ({
  ...(await original<typeof import("../api/session")>()),
  useSession: () => ({ status: "signed-in", account: { id: "me", role: role.current, displayName: "Li Na" } }),
}));

function message(id: string, kind: string, title: string, about: { type: string; id: string }, readAt: string | null = null) {
  return {
    __typename: "Notification",
    id,
    kind,
    title,
    body: `${title}: the body`,
    about: { __typename: "NotificationAbout", ...about },
    createdAt: "2026-12-01T08:00:00Z",
    readAt,
  };
}

function inbox(nodes: ReturnType<typeof message>[]) {
  return {
    data: {
      me: {
        __typename: "Account",
        id: "me",
        notifications: {
          __typename: "NotificationConnection",
          totalCount: nodes.length,
          pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
          nodes,
        },
      },
    },
  };
}

const unreadCount = (count: number) => ({ data: { me: { __typename: "Account", id: "me", unreadNotifications: count } } });

const MESSAGES = [
  message("n3", "CERTIFICATE_AWARDED", "Certificate awarded", { type: "CERTIFICATE", id: "CB-1" }),
  message("n2", "CERTIFIED", "Result certified", { type: "OUTCOME", id: "o-2" }),
  message("n1", "CREDITS_CONVERTED", "Credits converted", { type: "CONVERSION", id: "c-1" }, "2026-12-01T09:00:00Z"),
];

describe("Inbox", () => {
  beforeEach(async () => {
    role.current = "LEARNER";
    await i18n.changeLanguage("en");
  });
  afterEach(async () => {
    cleanup();
    await i18n.changeLanguage("zh-CN");
  });

  it("lists the messages newest first, links each to what it is about and marks one read", async () => {
    const answers: Answers = {
      NotificationsInbox: () => inbox(MESSAGES),
      NotificationsUnread: () => unreadCount(2),
      NotificationsMarkRead: () => ({ data: { markNotificationsRead: 1 } }),
    };
    const test = testClient(answers);
    render(
      <Providers test={test}>
        <Inbox />
      </Providers>,
    );
    const items = await screen.findAllByTestId("message");
    expect(items.map((item) => within(item).getByRole("heading").textContent)).toEqual(["Certificate awarded", "Result certified", "Credits converted"]);
    expect(screen.getByText("2 unread")).toBeInTheDocument();
    // the certified result: its kind's name, unread, a link to the result
    expect(within(items[1]).getByText("Certified")).toBeInTheDocument();
    expect(within(items[1]).getByText("Unread")).toBeInTheDocument();
    expect(within(items[1]).getByRole("link", { name: "Result certified" })).toHaveAttribute("href", "/learner/results/o-2");
    expect(within(items[0]).getByRole("link", { name: "Certificate awarded" })).toHaveAttribute("href", "/learner/transcript");
    expect(within(items[2]).getByRole("link", { name: "Credits converted" })).toHaveAttribute("href", "/learner/transcript");
    // a read one says when, and has nothing to mark
    expect(within(items[2]).queryByText("Unread")).toBeNull();
    expect(within(items[2]).getByText(/^Read /)).toBeInTheDocument();
    expect(within(items[2]).queryByRole("button")).toBeNull();

    await userEvent.setup().click(within(items[1]).getByRole("button", { name: "Mark read: Result certified" }));
    await waitFor(() => expect(test.refetchAll).toHaveBeenCalled());
    const marked = test.asked.find((operation) => operation.kind === "mutation");
    expect(marked?.variables).toEqual({ ids: ["n2"] });
  });

  it("marks all read, and shows only the unread ones when asked", async () => {
    const test = testClient({
      NotificationsInbox: (variables) => inbox(variables.unread ? [] : MESSAGES),
      NotificationsUnread: () => unreadCount(2),
      NotificationsMarkRead: () => ({ data: { markNotificationsRead: 2 } }),
    });
    render(
      <Providers test={test}>
        <Inbox />
      </Providers>,
    );
    const user = userEvent.setup();
    await screen.findAllByTestId("message");
    await user.click(screen.getByRole("button", { name: "Mark all read" }));
    expect(await screen.findByText("2 messages marked read")).toBeInTheDocument();
    expect(test.asked.find((operation) => operation.kind === "mutation")?.variables).toEqual({ all: true });
    expect(test.refetchAll).toHaveBeenCalled();

    await user.click(screen.getByRole("checkbox", { name: "Unread only" }));
    expect(await screen.findByText("No unread messages.")).toBeInTheDocument();
    expect(test.asked.some((operation) => operation.variables && (operation.variables as { unread?: boolean }).unread === true)).toBe(true);
    expect(screen.getByRole("link", { name: "Preferences" })).toHaveAttribute("href", "/learner/notifications/preferences");
  });

  it("links an institution's messages to its pages, in Chinese", async () => {
    role.current = "INSTITUTION";
    await i18n.changeLanguage("zh-CN");
    const test = testClient({
      NotificationsInbox: () =>
        inbox([
          message("w1", "WEBHOOK_DISABLED", "Webhook 端点已停用", { type: "WEBHOOK_ENDPOINT", id: "e-1" }),
          message("c1", "CONSENT_GRANTED", "学习者已授权", { type: "CONSENT", id: "k-1" }),
        ]),
      NotificationsUnread: () => unreadCount(0),
    });
    render(
      <Providers test={test}>
        <Inbox />
      </Providers>,
    );
    const items = await screen.findAllByTestId("message");
    expect(within(items[0]).getByRole("link", { name: "Webhook 端点已停用" })).toHaveAttribute("href", "/institution/webhooks#endpoint-e-1");
    expect(within(items[1]).getByText("已获授权")).toBeInTheDocument();
    expect(within(items[1]).getByRole("link", { name: "学习者已授权" })).toHaveAttribute("href", "/institution");
    expect(screen.getByRole("button", { name: "全部标为已读" })).toBeDisabled();
  });
});
