// "Download transcript (CLR 2.0)": the learner's transcript as a signed ClrCredential,
// asked of the API only when clicked and saved as transcript-<date>.json. The learner
// downloads their own; an institution a consenting learner's (`learner` given). A refusal
// (nothing certified yet, no consent) is shown next to the button.
import { useTranslation } from "react-i18next";
import { useClient } from "urql";
import { refusalsOf } from "../api/refusals";
import { graphql } from "../gql";
import { today } from "../ui/format";
import { useCredentialDownload } from "./download";
import "./credentials.css";

const OwnTranscriptCredential = graphql(`
  query OwnTranscriptCredential {
    me {
      id
      transcriptCredential
    }
  }
`);

const LearnerTranscriptCredential = graphql(`
  query LearnerTranscriptCredential($id: ID!) {
    account(id: $id) {
      id
      transcriptCredential
    }
  }
`);

export function TranscriptCredential({ learner }: { learner?: string }) {
  const { t } = useTranslation("credentials");
  const client = useClient();
  const { busy, download, describedBy, notes } = useCredentialDownload();

  async function ask() {
    const result = learner
      ? await client.query(LearnerTranscriptCredential, { id: learner }, { requestPolicy: "network-only" }).toPromise()
      : await client.query(OwnTranscriptCredential, {}, { requestPolicy: "network-only" }).toPromise();
    const data = result.data as { me?: { transcriptCredential: unknown } | null; account?: { transcriptCredential: unknown } | null } | undefined;
    const credential = (learner ? data?.account : data?.me)?.transcriptCredential;
    if (result.error || credential === undefined || credential === null) {
      return { problem: refusalsOf(result.error ?? new Error(t("common:error"))).map((r) => r.message).join(" ") };
    }
    return { credential, filename: `transcript-${today()}.json` };
  }

  return (
    <div className="credential-actions no-print">
      <button type="button" onClick={() => void download(ask)} disabled={busy} aria-describedby={describedBy}>
        {busy ? t("saving") : t("transcript.download")}
      </button>
      {notes()}
    </div>
  );
}
