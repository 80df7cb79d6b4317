// "Add results" as the learner sees it: the form's own checks next to their fields,
// each file's upload progress, and the API's refusals next to the field they name, in
// the language chosen.
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { DocumentNode } from "graphql";
import { GraphQLError } from "graphql";
import { MemoryRouter, Route, Routes } from "react-router";
import { CombinedError, Provider, type Client } from "urql";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fromValue, never } from "wonka";
import i18n from "../i18n";
import AddResult from "./AddResult";
import { UploadContext } from "./EvidenceFiles";
import type { UploadedEvidence, Uploader } from "./upload";

interface Request {
  query: DocumentNode;
  variables: Record<string, unknown>;
}

function nameOf(request: Request): string {
  const definition = request.query.definitions[0];
  return "name" in definition && definition.name ? definition.name.value : "";
}

const CATALOG = [
  {
    __typename: "CatalogMatch",
    kind: "CREDENTIAL_TYPE",
    code: "CN-KINDERGARTEN-PRINCIPAL",
    name: "幼儿园园长任职资格证书",
    credentialType: { __typename: "CredentialType", code: "CN-KINDERGARTEN-PRINCIPAL", name: "幼儿园园长任职资格证书", authority: "教育部" },
  },
  { __typename: "CatalogMatch", kind: "COURSE", code: "PE-TRWM", name: "教研工作管理", credentialType: null },
];

function stubClient(mutation: (variables: Record<string, unknown>) => unknown) {
  const executeMutation = vi.fn((request: Request) => fromValue({ operation: request, ...(mutation(request.variables) as object) }));
  const executeQuery = vi.fn((request: Request) =>
    nameOf(request) === "LearnerCredentialSearch"
      ? fromValue({ operation: request, data: { searchCatalog: CATALOG }, stale: false, hasNext: false })
      : never,
  );
  const client = { executeQuery, executeMutation, executeSubscription: () => never, suspense: false } as unknown as Client;
  return { client, executeMutation, executeQuery };
}

/** An uploader whose progress and answer the test drives, one entry per file. */
function fakeUploader() {
  const uploads: { file: File; progress: (fraction: number) => void; finish: (id: string) => void; fail: (e: Error) => void }[] = [];
  const upload: Uploader = (file, onProgress) => {
    let finish!: (stored: UploadedEvidence) => void;
    let fail!: (error: Error) => void;
    const done = new Promise<UploadedEvidence>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    uploads.push({
      file,
      progress: onProgress,
      finish: (id) => finish({ id, filename: file.name, size: file.size, contentType: file.type }),
      fail,
    });
    return { done, abort: () => undefined };
  };
  return { upload, uploads };
}

function renderForm(client: Client, upload: Uploader) {
  return render(
    <Provider value={client}>
      <UploadContext.Provider value={upload}>
        <MemoryRouter initialEntries={["/learner/results/new"]}>
          <Routes>
            <Route path="/learner/results/new" element={<AddResult />} />
            <Route path="/learner/results/:id" element={<p>result page</p>} />
          </Routes>
        </MemoryRouter>
      </UploadContext.Provider>
    </Provider>,
  );
}

const pdf = () => new File(["%PDF-1.4 a certificate"], "principal-certificate.pdf", { type: "application/pdf" });

describe("Add results", { timeout: 20000 }, () => {
  beforeEach(async () => {
    await act(async () => void (await i18n.changeLanguage("en")));
  });
  afterEach(async () => {
    await act(async () => void (await i18n.changeLanguage("zh-CN")));
  });

  it("says next to each field what is missing when sent empty, and sends nothing", async () => {
    const user = userEvent.setup();
    const { client, executeMutation } = stubClient(() => ({}));
    renderForm(client, fakeUploader().upload);
    await user.click(screen.getByRole("button", { name: "Add the result" }));
    expect(screen.getByLabelText("Kind of result")).toHaveAccessibleDescription("Choose the kind of result.");
    expect(screen.getByLabelText("Title")).toHaveAccessibleDescription(expect.stringContaining("Enter the title."));
    expect(screen.getByLabelText("Issued by")).toHaveAccessibleDescription(expect.stringContaining("Enter who issued it."));
    expect(screen.getByLabelText("Achieved on")).toHaveAccessibleDescription("Enter the day you achieved it.");
    expect(screen.getByLabelText("Title")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Kind of result")).toHaveFocus();
    expect(executeMutation).not.toHaveBeenCalled();

    // a certificate needs its evidence file
    await user.selectOptions(screen.getByLabelText("Kind of result"), "QUALIFICATION_CERTIFICATE");
    await user.click(screen.getByRole("button", { name: "Add the result" }));
    expect(within(screen.getByRole("group", { name: "Evidence files" })).getByRole("alert")).toHaveTextContent(
      "Attach at least one evidence file",
    );
    expect(screen.getByLabelText("Kind of result")).not.toHaveAccessibleDescription("Choose the kind of result.");
    // a field's message goes as soon as it is mended
    await user.type(screen.getByLabelText("Title"), "A certificate");
    expect(screen.getByLabelText("Title")).not.toHaveAttribute("aria-invalid");
    expect(screen.queryByText("Enter the title.")).not.toBeInTheDocument();
    expect(screen.getByText("Enter who issued it.")).toBeInTheDocument();
  });

  it("shows each file's upload progress until it is done, then sends its id and opens the new result", async () => {
    const user = userEvent.setup();
    const { client, executeMutation } = stubClient(() => ({ data: { addResult: { __typename: "Outcome", id: "result-7", status: "SUBMITTED", title: "t" } } }));
    const { upload, uploads } = fakeUploader();
    renderForm(client, upload);

    await user.selectOptions(screen.getByLabelText("Kind of result"), "QUALIFICATION_CERTIFICATE");
    await user.type(screen.getByLabelText("Title"), "Kindergarten principal qualification certificate");
    await user.type(screen.getByLabelText("Issued by"), "Chongqing Municipal Education Commission");
    await user.type(screen.getByLabelText("Achieved on"), "2024-06-30");
    await user.upload(screen.getByLabelText("Choose files"), pdf());

    const bar = screen.getByRole("progressbar", { name: "principal-certificate.pdf" });
    expect(bar).toHaveAttribute("value", "0");
    act(() => uploads[0].progress(0.4));
    expect(bar).toHaveAttribute("value", "40");
    expect(screen.getByText("Uploading… 40%")).toBeInTheDocument();

    // sending while a file is on its way waits for it
    await user.click(screen.getByRole("button", { name: "Add the result" }));
    expect(screen.getByText("Wait until every file is uploaded.")).toBeInTheDocument();
    expect(executeMutation).not.toHaveBeenCalled();

    await act(async () => uploads[0].finish("evidence-1"));
    expect(screen.getByRole("progressbar", { name: "principal-certificate.pdf" })).toHaveAttribute("value", "100");
    expect(screen.getByText("Uploaded")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Add the result" }));
    await waitFor(() => expect(screen.getByText("result page")).toBeInTheDocument());
    expect(executeMutation).toHaveBeenCalledTimes(1);
    expect(executeMutation.mock.calls[0][0].variables).toEqual({
      input: {
        kind: "QUALIFICATION_CERTIFICATE",
        title: "Kindergarten principal qualification certificate",
        issuer: "Chongqing Municipal Education Commission",
        credentialCode: null,
        achievedOn: "2024-06-30",
        hours: null,
        evidenceIds: ["evidence-1"],
      },
    });
  });

  it("lets a file be removed before sending, and shows a refused upload's reason by the file", async () => {
    const user = userEvent.setup();
    const { client } = stubClient(() => ({}));
    const { upload, uploads } = fakeUploader();
    renderForm(client, upload);
    await user.upload(screen.getByLabelText("Choose files"), [pdf(), new File(["not really a PNG"], "photo.png", { type: "image/png" })]);
    const { AuthRefusal } = await import("../api/session");
    await act(async () => uploads[1].fail(new AuthRefusal("file: only PDF, PNG and JPEG files are accepted", "UNSUPPORTED_MEDIA_TYPE", "file", 415)));
    expect(screen.getByText("file: only PDF, PNG and JPEG files are accepted")).toBeInTheDocument();
    expect(screen.queryByRole("progressbar", { name: "photo.png" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Add the result" }));
    expect(screen.getByText("Remove the files that could not be uploaded.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Remove principal-certificate.pdf" }));
    expect(screen.queryByRole("progressbar", { name: "principal-certificate.pdf" })).not.toBeInTheDocument();
    expect(screen.queryByText("principal-certificate.pdf")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Remove photo.png" }));
    expect(screen.queryByText("photo.png")).not.toBeInTheDocument();
    expect(screen.queryByText("Remove the files that could not be uploaded.")).not.toBeInTheDocument();
  });

  it("finds the credential in the catalog and only credentials can be picked", async () => {
    const user = userEvent.setup();
    const { client, executeQuery } = stubClient(() => ({}));
    renderForm(client, fakeUploader().upload);
    await user.type(screen.getByLabelText("Credential in the catalog"), "园长");
    const choice = await screen.findByRole("radio", { name: /幼儿园园长任职资格证书/ });
    expect(executeQuery.mock.calls.at(-1)?.[0].variables).toEqual({ text: "园长" });
    expect(screen.queryByRole("radio", { name: /教研工作管理/ })).not.toBeInTheDocument();
    expect(screen.getByText(/1 other catalog entry matches but is not a credential/)).toBeInTheDocument();
    await user.click(choice);
    expect(screen.getByTestId("credential-chosen")).toHaveTextContent("Chosen: 幼儿园园长任职资格证书 (CN-KINDERGARTEN-PRINCIPAL)");
  });

  it("shows the API's refusal next to the field it names, in the language chosen", async () => {
    await act(async () => void (await i18n.changeLanguage("zh-CN")));
    const user = userEvent.setup();
    const { client, executeMutation } = stubClient(() => ({
      error: new CombinedError({
        graphQLErrors: [
          new GraphQLError("achievedOn（取得日期）不能早于 1950 年", { extensions: { code: "BAD_USER_INPUT", field: "input.achievedOn" } }),
          new GraphQLError("服务暂时不可用", { extensions: { code: "UNAVAILABLE" } }),
        ],
      }),
    }));
    renderForm(client, fakeUploader().upload);
    await user.selectOptions(screen.getByLabelText("成果类型"), "WORK_EXPERIENCE");
    await user.type(screen.getByLabelText("名称"), "幼儿园教学工作");
    await user.type(screen.getByLabelText("颁发机构"), "重庆市某幼儿园");
    await user.type(screen.getByLabelText("取得日期"), "1949-09-01");
    await user.click(screen.getByRole("button", { name: "添加成果" }));
    await waitFor(() => expect(executeMutation).toHaveBeenCalledTimes(1));
    expect(await screen.findByText("achievedOn（取得日期）不能早于 1950 年")).toBeInTheDocument();
    expect(screen.getByLabelText("取得日期")).toHaveAccessibleDescription("achievedOn（取得日期）不能早于 1950 年");
    await waitFor(() => expect(screen.getByLabelText("取得日期")).toHaveFocus());
    expect(screen.getByLabelText("名称")).not.toHaveAttribute("aria-invalid");
    // the refusal naming no field of the form sits above the button, once
    const general = screen.getByText("服务暂时不可用");
    expect(general.closest(".form-errors")).not.toBeNull();
    expect(screen.getAllByText("achievedOn（取得日期）不能早于 1950 年")).toHaveLength(1);
  });
});
