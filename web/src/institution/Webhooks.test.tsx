// The institution's webhooks: register an endpoint (its secret shown once, copied or read
// in its field), refusals next to the URL, the endpoints with their state, rotate, enable
// again, delete after asking; the delivery log with its attempts, and replay.
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { Providers, testClient, type Answers } from "../learner/consentTestClient";
import Webhooks from "./Webhooks";

const TYPES = ["CREDITS_CONVERTED", "CERTIFICATE_AWARDED", "CONSENT_GRANTED"];

function endpoint(id: string, url: string, extra: { enabled?: boolean; disabledReason?: string | null; previousSecretExpiresAt?: string | null } = {}) {
  return {
    __typename: "WebhookEndpoint",
    id,
    url,
    eventTypes: ["CREDITS_CONVERTED", "CERTIFICATE_AWARDED"],
    enabled: extra.enabled ?? true,
    disabledReason: extra.disabledReason ?? null,
    disabledAt: extra.enabled === false ? "2026-12-02T08:00:00Z" : null,
    createdAt: "2026-12-01T08:00:00Z",
    previousSecretExpiresAt: extra.previousSecretExpiresAt ?? null,
  };
}

function list(endpoints: ReturnType<typeof endpoint>[]) {
  return { data: { me: { __typename: "Account", id: "uni", webhookEndpoints: endpoints }, webhookEventTypes: TYPES } };
}

const deliveries = {
  data: {
    me: {
      __typename: "Account",
      id: "uni",
      webhookEndpoints: [
        {
          __typename: "WebhookEndpoint",
          id: "e1",
          deliveries: {
            __typename: "WebhookDeliveryConnection",
            totalCount: 3,
            pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
            nodes: [
              {
                __typename: "WebhookDelivery",
                id: "d3",
                eventId: "ev3",
                eventType: "CREDITS_CONVERTED",
                webhookId: "msg_3",
                state: "DROPPED",
                succeeded: false,
                nextAttemptAt: null,
                cancelledReason: null,
                createdAt: "2026-12-01T09:10:00Z",
                deliveredAt: null,
                attempts: [],
              },
              {
                __typename: "WebhookDelivery",
                id: "d2",
                eventId: "ev2",
                eventType: "CERTIFICATE_AWARDED",
                webhookId: "msg_2",
                state: "PENDING",
                succeeded: false,
                nextAttemptAt: "2026-12-01T09:05:00Z",
                cancelledReason: null,
                createdAt: "2026-12-01T09:00:00Z",
                deliveredAt: null,
                attempts: [{ __typename: "WebhookAttempt", at: "2026-12-01T09:00:00Z", status: 503, responseMs: 41, error: "HTTP 503" }],
              },
              {
                __typename: "WebhookDelivery",
                id: "d1",
                eventId: "ev1",
                eventType: "CREDITS_CONVERTED",
                webhookId: "msg_1",
                state: "SUCCEEDED",
                succeeded: true,
                nextAttemptAt: null,
                cancelledReason: null,
                createdAt: "2026-12-01T08:30:00Z",
                deliveredAt: "2026-12-01T08:30:01Z",
                attempts: [
                  { __typename: "WebhookAttempt", at: "2026-12-01T08:30:00Z", status: null, responseMs: null, error: "connection refused" },
                  { __typename: "WebhookAttempt", at: "2026-12-01T08:30:05Z", status: 204, responseMs: 12, error: null },
                ],
              },
            ],
          },
        },
      ],
    },
  },
};

describe("Webhooks", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });
  afterEach(async () => {
    cleanup();
    await i18n.changeLanguage("zh-CN");
  });

  it("registers an endpoint and shows its secret once, with a copy button", async () => {
    let registered = false;
    const answers: Answers = {
      InstitutionWebhooks: () => list(registered ? [endpoint("e1", "https://uni.example/hooks")] : []),
      InstitutionWebhooksRegister: (variables) => {
        if (!String(variables.url).startsWith("https://")) {
          return { errors: [{ message: "The URL must use https.", extensions: { code: "INVALID", field: "url" } }] };
        }
        registered = true;
        return {
          data: { registerWebhookEndpoint: { __typename: "WebhookEndpointCreated", secret: "whsec_c2VjcmV0", endpoint: endpoint("e1", String(variables.url)) } },
        };
      },
    };
    const test = testClient(answers);
    render(
      <Providers test={test}>
        <Webhooks />
      </Providers>,
    );
    const user = userEvent.setup();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    expect(await screen.findByText("No endpoints yet.")).toBeInTheDocument();
    // every event chosen at first
    expect(screen.getByRole("checkbox", { name: "Certificate awarded" })).toBeChecked();
    await user.click(screen.getByRole("checkbox", { name: "Consent granted" }));

    const url = screen.getByLabelText("Endpoint URL");
    await user.click(url);
    await user.paste("http://uni.example/hooks");
    await user.click(screen.getByRole("button", { name: "Register" }));
    expect(await screen.findByText("The URL must use https.")).toBeInTheDocument();
    expect(url).toHaveAttribute("aria-invalid", "true");

    await user.clear(url);
    await user.click(url);
    await user.paste("https://uni.example/hooks");
    await user.click(screen.getByRole("button", { name: "Register" }));
    const secret = await screen.findByLabelText("Signing secret");
    expect(secret).toHaveValue("whsec_c2VjcmV0");
    expect(screen.getByRole("heading", { name: "The signing secret of https://uni.example/hooks" })).toHaveFocus();
    const sent = test.asked.filter((operation) => operation.kind === "mutation").at(-1);
    expect(sent?.variables).toEqual({ url: "https://uni.example/hooks", eventTypes: ["CREDITS_CONVERTED", "CERTIFICATE_AWARDED"] });

    await user.click(screen.getByRole("button", { name: "Copy secret" }));
    expect(await screen.findByText("Secret copied")).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith("whsec_c2VjcmV0");
    const row = await screen.findByTestId("webhook-endpoint");
    expect(within(row).getByText("Enabled")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "I have kept it" }));
    expect(screen.queryByLabelText("Signing secret")).toBeNull();
   }, 15000); // many steps in one page: slower than the default 5 s on a busy machine

  it("shows a disabled endpoint and why, enables it again, rotates its secret, deletes it after asking", async () => {
    const test = testClient({
      InstitutionWebhooks: () => list([endpoint("e1", "https://uni.example/hooks", { enabled: false, disabledReason: "DELIVERIES_FAILED" })]),
      InstitutionWebhooksEnable: { data: { enableWebhookEndpoint: { __typename: "WebhookEndpoint", id: "e1", enabled: true, disabledReason: null, disabledAt: null } } },
      InstitutionWebhooksRotate: {
        data: {
          rotateWebhookSecret: {
            __typename: "WebhookEndpointCreated",
            secret: "whsec_bmV3",
            endpoint: { __typename: "WebhookEndpoint", id: "e1", url: "https://uni.example/hooks", previousSecretExpiresAt: "2026-12-03T08:00:00Z" },
          },
        },
      },
      InstitutionWebhooksDelete: { data: { deleteWebhookEndpoint: "e1" } },
    });
    render(
      <Providers test={test}>
        <Webhooks />
      </Providers>,
    );
    const user = userEvent.setup();
    const row = await screen.findByTestId("webhook-endpoint");
    expect(within(row).getAllByText("Disabled").length).toBeGreaterThan(0);
    expect(within(row).getByText(/a delivery failed for more than a day of retries/)).toBeInTheDocument();
    expect(within(row).getByText("Credits converted, Certificate awarded")).toBeInTheDocument();

    await user.click(within(row).getByRole("button", { name: "Enable again: https://uni.example/hooks" }));
    expect(await screen.findByText("https://uni.example/hooks is enabled again")).toBeInTheDocument();

    await user.click(within(row).getByRole("button", { name: "Rotate secret: https://uni.example/hooks" }));
    expect(await screen.findByLabelText("Signing secret")).toHaveValue("whsec_bmV3");
    expect(screen.getByRole("heading", { name: "New secret of https://uni.example/hooks" })).toBeInTheDocument();
    // the old secret keeps signing for the overlap: the receiver may switch meanwhile
    const panel = screen.getByRole("region", { name: "New secret of https://uni.example/hooks" });
    expect(within(panel).getByText(/^Old secret still accepted until .*2026/)).toBeInTheDocument();

    await user.click(within(row).getByRole("button", { name: "Delete: https://uni.example/hooks" }));
    const confirm = within(row).getByRole("group", { name: "Delete: https://uni.example/hooks" });
    await user.click(within(confirm).getByRole("button", { name: "Delete endpoint" }));
    expect(await screen.findByText("https://uni.example/hooks deleted")).toBeInTheDocument();
    expect(test.asked.some((operation) => operation.kind === "mutation" && (operation.variables as { id?: string }).id === "e1")).toBe(true);
  });

  it("opens the delivery log: each event, its webhook-id, attempts with status and response time; replays", async () => {
    const test = testClient({
      InstitutionWebhooks: () => list([endpoint("e1", "https://uni.example/hooks")]),
      InstitutionWebhookDeliveries: deliveries,
      InstitutionWebhooksReplay: { data: { replayWebhookDeliveries: 2 } },
    });
    render(
      <Providers test={test}>
        <Webhooks />
      </Providers>,
    );
    const user = userEvent.setup();
    const row = await screen.findByTestId("webhook-endpoint");
    const toggle = within(row).getByRole("button", { name: "Delivery log" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const table = await screen.findByRole("table", { name: "Delivery log of https://uni.example/hooks" });
    const all = await within(table).findAllByTestId("webhook-delivery");
    expect(all).toHaveLength(3);
    // dropped while the endpoint was disabled and too many waited: said so, replayable
    expect(within(all[0]).getByText("Dropped")).toBeInTheDocument();
    expect(within(all[0]).getByText(/too many waited while the endpoint was disabled; Replay sends it/)).toBeInTheDocument();
    const rows = all.slice(1);
    expect(within(rows[0]).getByText("Certificate awarded")).toBeInTheDocument();
    expect(within(rows[0]).getByText("msg_2")).toBeInTheDocument();
    expect(within(rows[0]).getByText("Retrying")).toBeInTheDocument();
    expect(within(rows[0]).getByText(/503 · 41 ms/)).toBeInTheDocument();
    expect(within(rows[0]).getByText(/^next try /)).toBeInTheDocument();
    expect(within(rows[1]).getByText("Delivered")).toBeInTheDocument();
    expect(within(rows[1]).getByText(/no response/)).toBeInTheDocument();
    expect(within(rows[1]).getByText(/204 · 12 ms/)).toBeInTheDocument();
    expect(within(rows[1]).getByText("2")).toBeInTheDocument();

    await user.click(within(row).getByRole("button", { name: "Replay" }));
    expect(await screen.findByText("2 deliveries queued again")).toBeInTheDocument();
    const replayed = test.asked.find((operation) => operation.kind === "mutation");
    expect((replayed?.variables as { endpointId: string }).endpointId).toBe("e1");
    await waitFor(() => expect(String((replayed?.variables as { since: string }).since)).toMatch(/Z$/));
  });

  it("says in Chinese until when the old secret is still accepted", async () => {
    await i18n.changeLanguage("zh-CN");
    const test = testClient({
      InstitutionWebhooks: () => list([endpoint("e1", "https://uni.example/hooks", { previousSecretExpiresAt: "2026-12-03T08:00:00Z" })]),
    });
    render(
      <Providers test={test}>
        <Webhooks />
      </Providers>,
    );
    const row = await screen.findByTestId("webhook-endpoint");
    expect(within(row).getByText(/^旧密钥在.*2026.*之前仍有效$/)).toBeInTheDocument();
  });
});
