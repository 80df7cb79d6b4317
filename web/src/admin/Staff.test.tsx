import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { CombinedError, Provider, type Client } from "urql";
import { fromValue, never } from "wonka";
import i18n from "../i18n";
import { StaffForm } from "./Staff";

function clientAnswering(answer: object) {
  const executeMutation = vi.fn(() => fromValue(answer));
  const client = { executeMutation, executeQuery: vi.fn(() => never), executeSubscription: vi.fn(() => never) } as unknown as Client;
  return { client, executeMutation };
}

function renderForm(client: Client) {
  return render(
    <Provider value={client}>
      <StaffForm />
    </Provider>,
  );
}

async function fill(user: ReturnType<typeof userEvent.setup>, values: { name?: string; email?: string; password?: string }) {
  if (values.name) await user.type(screen.getByLabelText("Name"), values.name);
  if (values.email) await user.type(screen.getByLabelText("Email"), values.email);
  if (values.password) await user.type(screen.getByLabelText("Password"), values.password);
}

describe("the staff form", () => {
  beforeAll(async () => {
    await i18n.changeLanguage("en");
  });

  it("checks its fields before asking, each message next to its field", async () => {
    const { client, executeMutation } = clientAnswering({});
    const user = userEvent.setup();
    renderForm(client);
    await fill(user, { email: "not-an-email", password: "short" });
    await user.click(screen.getByRole("button", { name: "Open the account" }));

    expect(executeMutation).not.toHaveBeenCalled();
    const name = screen.getByLabelText("Name");
    const email = screen.getByLabelText("Email");
    const password = screen.getByLabelText("Password");
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(name).toHaveAccessibleDescription("Give a name.");
    expect(email).toHaveAccessibleDescription(/name@example.org/);
    expect(password).toHaveAccessibleDescription(/at least 10 characters/i);
  });

  it("shows the API's refusal naming email next to the email field", async () => {
    const refusal = new CombinedError({
      graphQLErrors: [{ message: "An account with this email exists already.", extensions: { code: "CONFLICT", field: "email" } }],
    });
    const { client, executeMutation } = clientAnswering({ data: undefined, error: refusal });
    const user = userEvent.setup();
    renderForm(client);
    await user.selectOptions(screen.getByLabelText("Role"), "INSTITUTION");
    await fill(user, { name: "Beijing Open University", email: "bou@example.org", password: "institution-password" });
    await user.click(screen.getByRole("button", { name: "Open the account" }));

    expect(executeMutation).toHaveBeenCalledTimes(1);
    const [request] = executeMutation.mock.calls[0] as unknown as [{ variables: Record<string, unknown> }];
    expect(request.variables).toEqual({
      role: "INSTITUTION",
      email: "bou@example.org",
      password: "institution-password",
      displayName: "Beijing Open University",
    });
    const email = await screen.findByLabelText("Email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("An account with this email exists already.");
    // not repeated above the button as a general error
    expect(screen.getAllByText("An account with this email exists already.")).toHaveLength(1);
  });
});
