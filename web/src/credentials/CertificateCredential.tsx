// A certificate's credential, on the learner's pages that list certificates: "Download
// credential (Open Badges 3.0)" asks the API for the signed OpenBadgeCredential only when
// clicked and saves it as certificate-<serial>.json; "Copy share link" puts its public
// link (GET, no sign-in) on the clipboard and shows it in a field to copy by hand.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "urql";
import { refusalsOf } from "../api/refusals";
import { graphql } from "../gql";
import { useCredentialDownload } from "./download";
import "./credentials.css";

/** The certificate after `after` (the cursor of the one listed before it, none for the
 * newest): a lookup of one certificate, so only its credential is signed. */
const CertificateCredentialQuery = graphql(`
  query CertificateCredential($after: String) {
    me {
      id
      certificatesConnection(first: 1, after: $after) {
        nodes {
          serial
          credential
        }
      }
    }
  }
`);

export interface CertificateCredentialProps {
  serial: string;
  /** what the certificate is called, for the buttons' accessible names */
  name: string;
  /** the cursor of the certificate listed just before it (newest first); null for the first */
  after: string | null;
  /** the public share link (credentialUrl) */
  shareUrl: string;
}

export function CertificateCredential({ serial, name, after, shareUrl }: CertificateCredentialProps) {
  const { t } = useTranslation("credentials");
  const client = useClient();
  const id = useId();
  const { busy, download, describedBy, notes } = useCredentialDownload();
  const [shared, setShared] = useState<"copied" | "by-hand" | null>(null);

  async function ask() {
    const result = await client.query(CertificateCredentialQuery, { after }, { requestPolicy: "network-only" }).toPromise();
    if (result.error) return { problem: refusalsOf(result.error).map((r) => r.message).join(" ") };
    const node = result.data?.me?.certificatesConnection.nodes[0];
    if (!node || node.serial !== serial) return { problem: t("certificate.notFound") };
    return { credential: node.credential, filename: `certificate-${serial}.json` };
  }

  async function share() {
    try {
      await navigator.clipboard.writeText(shareUrl);
      setShared("copied");
    } catch {
      setShared("by-hand");
    }
  }

  return (
    <div className="credential-actions no-print">
      <div className="credential-buttons">
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            setShared(null);
            void download(ask);
          }}
          disabled={busy}
          aria-label={t("certificate.downloadFor", { name })}
          aria-describedby={describedBy}
        >
          {busy ? t("saving") : t("certificate.download")}
        </button>
        <button type="button" className="secondary small" onClick={() => void share()} aria-label={t("certificate.shareFor", { name })}>
          {t("certificate.share")}
        </button>
      </div>
      {notes(shared === "copied" ? t("certificate.copied") : shared === "by-hand" ? t("certificate.copyByHand") : undefined)}
      {shared ? (
        <div className="credential-link">
          <label htmlFor={`${id}-link`}>{t("certificate.shareLink", { name })}</label>
          <input
            id={`${id}-link`}
            type="url"
            readOnly
            value={shareUrl}
            onFocus={(event) => event.target.select()}
            data-testid="share-link"
          />
        </div>
      ) : null}
    </div>
  );
}
