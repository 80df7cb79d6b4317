// The public verify page: JSON that does not parse is refused here and nothing is sent;
// a credential pasted or read from a file is sent as it is and the verdict read out (a
// big "Verified" / "Not verified", the issuer, its status, the reasons); a new language
// asks again, so the reasons come in it.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import { Providers, testClient } from "../learner/consentTestClient";
import Verify from "./Verify";

const CREDENTIAL = { "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiableCredential", "OpenBadgeCredential"], id: "urn:uuid:1" };
const DID = "did:web:bank.example.org";

function verification(overrides: Record<string, unknown> = {}) {
  return {
    data: {
      verifyCredential: {
        __typename: "CredentialVerification",
        verified: true,
        proofValid: true,
        issuer: DID,
        issuerName: "Chongqing Academic Credit Bank",
        issuedByThisBank: true,
        status: "ACTIVE",
        validFrom: "2026-12-01T08:00:00Z",
        validUntil: null,
        types: ["VerifiableCredential", "OpenBadgeCredential"],
        errors: [],
        ...overrides,
      },
    },
  };
}

function paste(text: string) {
  fireEvent.change(screen.getByLabelText("Credential (JSON)"), { target: { value: text } });
}

describe("Verify", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });
  afterEach(async () => {
    cleanup();
    await i18n.changeLanguage("zh-CN");
  });

  it("catches JSON that does not parse before sending anything, next to the field", async () => {
    const test = testClient({ CredentialVerification: verification() });
    render(
      <Providers test={test} path="/verify">
        <Verify />
      </Providers>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Verify" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Paste a credential or choose its file first.");

    paste('{"type": ["VerifiableCredential"');
    await user.click(screen.getByRole("button", { name: "Verify" }));
    const field = screen.getByLabelText("Credential (JSON)");
    expect(screen.getByRole("alert")).toHaveTextContent(/^Not valid JSON: /);
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(field).toHaveAccessibleDescription(/Not valid JSON: /);

    paste("[1, 2]");
    await user.click(screen.getByRole("button", { name: "Verify" }));
    expect(screen.getByRole("alert")).toHaveTextContent(/must be an object/);
    expect(test.asked).toHaveLength(0);
  });

  it("sends the pasted credential as it is and reads out Verified, the issuer and its status", async () => {
    const test = testClient({ CredentialVerification: verification() });
    render(
      <Providers test={test} path="/verify">
        <Verify />
      </Providers>,
    );
    paste(JSON.stringify(CREDENTIAL, null, 2));
    await userEvent.setup().click(screen.getByRole("button", { name: "Verify" }));
    const verdict = await screen.findByTestId("verdict");
    await waitFor(() => expect(within(verdict).getByRole("status")).toHaveTextContent("Verified"));
    expect(within(verdict).getByRole("heading", { level: 2 })).toHaveTextContent(/^✓ Verified$/);
    expect(test.asked[0].variables).toEqual({ credential: CREDENTIAL });
    expect(screen.getByTestId("verdict-issuer")).toHaveTextContent("Chongqing Academic Credit Bank");
    expect(screen.getByTestId("verdict-did")).toHaveTextContent(DID);
    expect(screen.getByTestId("verdict-bank")).toHaveTextContent("Yes");
    expect(screen.getByTestId("verdict-status")).toHaveTextContent("Active");
    expect(verdict).toHaveTextContent("No end date");
    expect(verdict).toHaveTextContent("VerifiableCredential, OpenBadgeCredential");
    expect(screen.queryByTestId("verdict-reasons")).toBeNull();
  });

  it("reads a chosen file; Not verified with the reasons, asked again in Chinese when the language changes", async () => {
    const test = testClient({
      CredentialVerification: () =>
        verification({
          verified: false,
          proofValid: false,
          status: "REVOKED",
          errors: [i18n.language === "en" ? "the proof does not match the document" : "证明与文档不符"],
        }),
    });
    render(
      <Providers test={test} path="/verify">
        <Verify />
      </Providers>,
    );
    const user = userEvent.setup();
    const file = new File([JSON.stringify(CREDENTIAL)], "certificate-CB-1.json", { type: "application/json" });
    await user.upload(screen.getByLabelText("Choose a .json file"), file);
    await waitFor(() => expect(screen.getByLabelText("Credential (JSON)")).toHaveValue(JSON.stringify(CREDENTIAL)));
    expect(screen.getByText("Read certificate-CB-1.json")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Verify" }));
    const verdict = await screen.findByTestId("verdict");
    await waitFor(() => expect(within(verdict).getByRole("heading", { level: 2 })).toHaveTextContent("Not verified"));
    expect(screen.getByTestId("verdict-proof")).toHaveTextContent("Not valid");
    expect(screen.getByTestId("verdict-status")).toHaveTextContent("Revoked");
    expect(screen.getByTestId("verdict-reasons")).toHaveTextContent("the proof does not match the document");

    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    await waitFor(() => expect(screen.getByTestId("verdict-reasons")).toHaveTextContent("证明与文档不符"));
    expect(within(verdict).getByRole("heading", { level: 2 })).toHaveTextContent("未通过验证");
    expect(screen.getByTestId("verdict-status")).toHaveTextContent("已撤销");
    expect(test.asked).toHaveLength(2);
  });

  it("refuses a file over the API's 1 MB unread", async () => {
    const test = testClient({ CredentialVerification: verification() });
    render(
      <Providers test={test} path="/verify">
        <Verify />
      </Providers>,
    );
    const big = new File(["x".repeat(1024 * 1024 + 1)], "huge.json", { type: "application/json" });
    await userEvent.setup().upload(screen.getByLabelText("Choose a .json file"), big);
    expect(await screen.findByRole("alert")).toHaveTextContent("The file is too large (1.0 MB; at most 1 MB).");
    expect(screen.getByLabelText("Credential (JSON)")).toHaveValue("");
    expect(test.asked).toHaveLength(0);
  });

  it("shows the API's refusal when it answers with an error", async () => {
    const test = testClient({ CredentialVerification: { errors: [{ message: "the credential is too large", extensions: { code: "BAD_USER_INPUT" } }] } });
    render(
      <Providers test={test} path="/verify">
        <Verify />
      </Providers>,
    );
    paste(JSON.stringify(CREDENTIAL));
    await userEvent.setup().click(screen.getByRole("button", { name: "Verify" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("the credential is too large");
    expect(screen.queryByRole("heading", { level: 2 })).toBeNull();
  });
});
