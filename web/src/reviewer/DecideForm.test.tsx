import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { CombinedError, Provider, type Client } from "urql";
import { fromValue, never } from "wonka";
import { beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { DecideForm } from "./DecideForm";

const SEARCH = {
  searchCatalog: [
    {
      __typename: "CatalogMatch",
      kind: "CREDENTIAL_TYPE",
      code: "CN-KINDERGARTEN-PRINCIPAL",
      name: "Kindergarten principal qualification certificate",
      credentialType: {
        __typename: "CredentialType",
        code: "CN-KINDERGARTEN-PRINCIPAL",
        name: "Kindergarten principal qualification certificate",
        authority: "Chongqing Municipal Education Commission",
      },
    },
    { __typename: "CatalogMatch", kind: "COURSE", code: "PE101", name: "Kindergarten management", credentialType: null },
  ],
};

function clientWith(mutation: () => unknown) {
  const executeMutation = vi.fn((request: { variables: unknown }) => {
    void request;
    return fromValue(mutation());
  });
  const client = {
    executeQuery: vi.fn(() => fromValue({ data: SEARCH, stale: false, hasNext: false })),
    query: vi.fn(() => ({ toPromise: async () => ({ data: SEARCH }) })),
    executeMutation,
    executeSubscription: vi.fn(() => never),
  } as unknown as Client;
  return { client, executeMutation };
}

function renderForm(client: Client, claimedCode: string | null = "CN-KINDERGARTEN-PRINCIPAL") {
  render(
    <Provider value={client}>
      <MemoryRouter>
        <DecideForm caseId="case-1" claimedCode={claimedCode} />
      </MemoryRouter>
    </Provider>,
  );
}

beforeEach(async () => {
  await i18n.changeLanguage("en");
});

describe("the decide form", () => {
  it("asks for a reason next to the field before rejecting, and sends nothing without one", async () => {
    const { client, executeMutation } = clientWith(() => ({ data: undefined }));
    renderForm(client);
    await userEvent.click(screen.getByRole("radio", { name: "Reject" }));
    // an approval's credential is not asked when rejecting
    expect(screen.queryByLabelText("Verified credential code")).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Record the decision" }));

    const reason = screen.getByLabelText("Reason");
    expect(reason).toHaveAttribute("aria-invalid", "true");
    expect(reason).toHaveAccessibleDescription(expect.stringContaining("Write a reason the learner can act on."));
    expect(executeMutation).not.toHaveBeenCalled();

    await userEvent.type(reason, "The certificate's number does not match the issuer's register.");
    expect(reason).not.toHaveAttribute("aria-invalid");
    await userEvent.click(screen.getByRole("button", { name: "Record the decision" }));
    expect(executeMutation).toHaveBeenCalledTimes(1);
    expect(executeMutation.mock.calls[0][0].variables).toEqual({
      id: "case-1",
      decision: "REJECT",
      reason: "The certificate's number does not match the issuer's register.",
      verifiedCredentialCode: null,
    });
  });

  it("shows the API's refusal naming verifiedCredentialCode next to that field", async () => {
    const refusal = "the credential type CN-KINDERGARTEN-PRINCIPAL does not match this result";
    const { client, executeMutation } = clientWith(() => ({
      data: undefined,
      error: new CombinedError({
        graphQLErrors: [
          { message: refusal, extensions: { code: "BAD_USER_INPUT", field: "verifiedCredentialCode" } },
        ],
      }),
    }));
    renderForm(client);
    const code = screen.getByLabelText("Verified credential code");
    expect(code).toHaveValue("CN-KINDERGARTEN-PRINCIPAL");
    await userEvent.click(screen.getByRole("button", { name: "Record the decision" }));

    expect(await screen.findByText(refusal)).toBeInTheDocument();
    expect(code).toHaveAttribute("aria-invalid", "true");
    expect(code).toHaveAccessibleDescription(expect.stringContaining(refusal));
    // next to the field, not in the form's general errors
    expect(screen.getByText(refusal)).toHaveClass("field-error");
    expect(executeMutation.mock.calls[0][0].variables).toMatchObject({ decision: "APPROVE", verifiedCredentialCode: "CN-KINDERGARTEN-PRINCIPAL" });
  });

  it("refuses, next to the field, a code the catalog has no credential type for", async () => {
    const { client, executeMutation } = clientWith(() => ({ data: undefined }));
    renderForm(client);
    const code = screen.getByLabelText("Verified credential code");
    await userEvent.clear(code);
    await userEvent.type(code, "CN-NOPE");
    await userEvent.click(screen.getByRole("button", { name: "Record the decision" }));
    expect(await screen.findByText(/No credential type in the catalog has this code/)).toHaveClass("field-error");
    expect(code).toHaveAttribute("aria-invalid", "true");
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it("picks the verified credential from the catalog's credential types", async () => {
    const { client } = clientWith(() => ({ data: undefined }));
    renderForm(client, null);
    const code = screen.getByLabelText("Verified credential code");
    expect(code).toHaveValue("");
    await userEvent.type(screen.getByLabelText("Find a credential type in the catalog"), "principal");
    const found = await screen.findByRole("region", { name: "Credential types found" });
    // only credential types are offered, not courses
    expect(within(found).queryByText("PE101")).not.toBeInTheDocument();
    await userEvent.click(
      within(found).getByRole("button", { name: "Use: Kindergarten principal qualification certificate (CN-KINDERGARTEN-PRINCIPAL)" }),
    );
    expect(code).toHaveValue("CN-KINDERGARTEN-PRINCIPAL");
  });
});
