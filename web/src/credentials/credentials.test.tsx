// The credential buttons: a certificate's credential is asked for only when "Download" is
// clicked (the one certificate after the cursor of the one before it) and saved as
// certificate-<serial>.json; "Copy share link" copies the link, or shows it to copy by
// hand; the transcript's download saves transcript-<date>.json, or shows the refusal next
// to the button.
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { Providers, testClient } from "../learner/consentTestClient";
import { today } from "../ui/format";
import { CertificateCredential } from "./CertificateCredential";
import { TranscriptCredential } from "./TranscriptCredential";

const BADGE = { type: ["VerifiableCredential", "OpenBadgeCredential"], proof: { cryptosuite: "eddsa-rdfc-2022" } };
const SHARE = "https://bank.example.org/credentials/8f1c";

/** The answer to the lookup of the certificate after a cursor: this one. */
function certificateAfter(serial: string) {
  const certificate = { __typename: "AwardedCertificate", serial, credential: BADGE };
  const connection = { __typename: "AwardedCertificateConnection", nodes: [certificate] };
  return { data: { me: { __typename: "Account", id: "me", certificatesConnection: connection } } };
}

/** A saved file's text. */
function textOf(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(blob);
  });
}

/** What was saved: each download link clicked, its file name and its text. */
function downloads() {
  const saved: { name: string; blob: Blob }[] = [];
  const blobs = new Map<string, Blob>();
  let n = 0;
  vi.stubGlobal("URL", Object.assign(URL, {
    createObjectURL: (blob: Blob) => {
      const url = `blob:test/${++n}`;
      blobs.set(url, blob);
      return url;
    },
    revokeObjectURL: () => undefined,
  }));
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: blobs.get(this.href) as Blob });
  });
  return saved;
}

describe("credential downloads", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });
  afterEach(async () => {
    cleanup();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    await i18n.changeLanguage("zh-CN");
  });

  it("asks for a certificate's credential only on click and saves it as certificate-<serial>.json", async () => {
    const saved = downloads();
    const test = testClient({
      CertificateCredential: certificateAfter("CB-2026-0001"),
    });
    render(
      <Providers test={test}>
        <CertificateCredential serial="CB-2026-0001" name="Kindergarten Management" after="cursor-0" shareUrl={SHARE} />
      </Providers>,
    );
    expect(test.asked).toHaveLength(0);
    await userEvent.setup().click(screen.getByRole("button", { name: "Download credential (Open Badges 3.0): Kindergarten Management" }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(test.asked[0].variables).toEqual({ after: "cursor-0" });
    expect(saved[0].name).toBe("certificate-CB-2026-0001.json");
    expect(saved[0].blob.type).toBe("application/json");
    expect(JSON.parse(await textOf(saved[0].blob))).toEqual(BADGE);
    expect(screen.getByText("Saved as certificate-CB-2026-0001.json")).toHaveAttribute("role", "status");
  });

  it("says so when the certificate after the cursor is another one (the list changed)", async () => {
    const saved = downloads();
    const test = testClient({
      CertificateCredential: certificateAfter("CB-2026-0002"),
    });
    render(
      <Providers test={test}>
        <CertificateCredential serial="CB-2026-0001" name="Kindergarten Management" after={null} shareUrl={SHARE} />
      </Providers>,
    );
    await userEvent.setup().click(screen.getByRole("button", { name: /^Download credential/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent("no longer in the list");
    expect(saved).toHaveLength(0);
  });

  it("copies the share link, or shows it in a field to copy by hand", async () => {
    const user = userEvent.setup();
    const test = testClient({});
    render(
      <Providers test={test}>
        <CertificateCredential serial="CB-2026-0001" name="Kindergarten Management" after={null} shareUrl={SHARE} />
      </Providers>,
    );
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await user.click(screen.getByRole("button", { name: "Copy share link: Kindergarten Management" }));
    expect(writeText).toHaveBeenCalledWith(SHARE);
    expect(await screen.findByText(/Link copied/)).toBeInTheDocument();
    expect(screen.getByLabelText("Share link of Kindergarten Management")).toHaveValue(SHARE);

    Object.defineProperty(navigator, "clipboard", { value: { writeText: vi.fn().mockRejectedValue(new Error("denied")) }, configurable: true });
    await user.click(screen.getByRole("button", { name: "Copy share link: Kindergarten Management" }));
    expect(await screen.findByText("Copy the link from the field.")).toBeInTheDocument();
    expect(screen.getByLabelText("Share link of Kindergarten Management")).toHaveValue(SHARE);
    expect(test.asked).toHaveLength(0);
  });

  it("saves the learner's transcript as transcript-<date>.json", async () => {
    const saved = downloads();
    const clr = { type: ["VerifiableCredential", "ClrCredential"] };
    const test = testClient({ OwnTranscriptCredential: { data: { me: { __typename: "Account", id: "me", transcriptCredential: clr } } } });
    render(
      <Providers test={test}>
        <TranscriptCredential />
      </Providers>,
    );
    await userEvent.setup().click(screen.getByRole("button", { name: "Download transcript (CLR 2.0)" }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0].name).toBe(`transcript-${today()}.json`);
    expect(JSON.parse(await textOf(saved[0].blob))).toEqual(clr);
  });

  it("shows the refusal next to the button, for an institution reading a learner's", async () => {
    const saved = downloads();
    const test = testClient({
      LearnerTranscriptCredential: { errors: [{ message: "the learner has nothing certified yet", extensions: { code: "NOT_FOUND" } }] },
    });
    render(
      <Providers test={test}>
        <TranscriptCredential learner="learner-1" />
      </Providers>,
    );
    const button = screen.getByRole("button", { name: "Download transcript (CLR 2.0)" });
    await userEvent.setup().click(button);
    expect(await screen.findByRole("alert")).toHaveTextContent("the learner has nothing certified yet");
    expect(button).toHaveAccessibleDescription("the learner has nothing certified yet");
    expect(test.asked[0].variables).toEqual({ id: "learner-1" });
    expect(saved).toHaveLength(0);
  });
});
