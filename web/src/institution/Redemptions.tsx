// The institution's redemptions, newest first, a page at a time: learner, course, credits,
// when, status; one still within the reversal window can be reversed with a reason, after
// an inline confirmation.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery, type CombinedError } from "urql";
import { graphql } from "../gql";
import { refusals } from "../api/refusals";
import { FormErrors, TextArea } from "../ui/forms";
import { Loading, Page } from "../ui/Page";
import { MoreButton, usePages } from "../ui/Paged";
import { credits, instant } from "../ui/format";
import { useToast } from "../ui/toasts";
import { confirmBox, REVERSAL_DAYS, row, shortId, useCourseNames, useLearnerNames } from "./shared";

const PAGE = 20;

// the learner by id only: a learner whose consent ended may not be read by name, and
// asking for it would refuse the whole list
const Redemptions = graphql(`
  query InstitutionRedemptions($first: Int!, $after: String) {
    me {
      id
      redemptionsConnection(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          courseCode
          credits
          redeemedAt
          reversedAt
          reversalReason
          learner {
            id
          }
        }
      }
    }
  }
`);

const Reverse = graphql(`
  mutation InstitutionReverse($id: ID!, $reason: String!) {
    reverseRedemption(id: $id, reason: $reason) {
      id
      reversedAt
      reversalReason
    }
  }
`);

interface Item {
  id: string;
  courseCode: string;
  credits: string;
  redeemedAt: string;
  reversedAt?: string | null;
  reversalReason?: string | null;
  learner: { id: string };
}

function withinWindow(redeemedAt: string): boolean {
  return Date.now() - new Date(redeemedAt).getTime() < REVERSAL_DAYS * 24 * 3600 * 1000;
}

function Redemption({ item, course, learner }: { item: Item; course: string; learner: string | undefined }) {
  const { t } = useTranslation("institution");
  const toast = useToast();
  const [, reverse] = useMutation(Reverse);
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>();
  const [busy, setBusy] = useState(false);
  const shown = refusals(error);
  const name = learner ?? t("feed.aLearner", { id: shortId(item.learner.id) });

  function ask(event: FormEvent) {
    event.preventDefault();
    if (reason.trim() === "") {
      setMissing(true);
      return;
    }
    setMissing(false);
    setConfirming(true);
  }

  async function send() {
    setBusy(true);
    const result = await reverse({ id: item.id, reason: reason.trim() });
    setBusy(false);
    setConfirming(false);
    if (result.error) {
      setError(result.error);
      return;
    }
    setError(undefined);
    setOpen(false);
    toast(t("redemptions.done"));
  }

  return (
    <li data-testid={`redemption-${item.id}`}>
      <div style={row}>
        <div>
          <strong>{course}</strong> <span className="muted">{item.courseCode}</span>
          <div>
            {learner ? <Link to={`/institution/learners/${item.learner.id}`}>{learner}</Link> : <span>{name}</span>}
            {" · "}
            {t("common:credits", { value: credits(item.credits) })}
            {" · "}
            <span className="muted">
              {t("redemptions.when")} {instant(item.redeemedAt)}
            </span>
          </div>
          <div>
            {item.reversedAt ? (
              <>
                <span className="badge badge-warn">{t("redemptions.reversed", { when: instant(item.reversedAt) })}</span>
                {item.reversalReason ? (
                  <span className="muted"> {t("redemptions.reversedBecause", { reason: item.reversalReason })}</span>
                ) : null}
              </>
            ) : (
              <span className="badge badge-ok">{t("redemptions.active")}</span>
            )}
          </div>
        </div>
        {!item.reversedAt && !open ? (
          withinWindow(item.redeemedAt) ? (
            <button
              type="button"
              className="secondary"
              aria-label={t("redemptions.reverseOf", { course, name })}
              onClick={() => setOpen(true)}
            >
              {t("redemptions.reverse")}
            </button>
          ) : (
            <span className="muted">{t("redemptions.windowClosed", { days: REVERSAL_DAYS })}</span>
          )
        ) : null}
      </div>
      {open && !item.reversedAt ? (
        <form className="form" onSubmit={ask} noValidate style={{ marginTop: ".75rem" }}>
          <TextArea
            label={t("redemptions.reason")}
            hint={t("redemptions.reasonHint")}
            required
            value={reason}
            disabled={confirming || busy}
            onChange={(event) => setReason(event.target.value)}
            error={missing ? t("redemptions.reasonRequired") : shown.of("reason")}
          />
          <FormErrors refusals={shown.general(["reason"])} />
          {confirming ? (
            <div style={confirmBox} role="group" aria-label={t("redemptions.confirmButton")}>
              <p style={{ marginTop: 0 }}>{t("redemptions.confirm", { credits: credits(item.credits), course, name })}</p>
              <div className="actions">
                <button type="button" className="danger" onClick={() => void send()} disabled={busy}>
                  {t("redemptions.confirmButton")}
                </button>
                <button type="button" className="secondary" onClick={() => setConfirming(false)} disabled={busy}>
                  {t("common:cancel")}
                </button>
              </div>
            </div>
          ) : (
            <div className="actions">
              <button type="submit">{t("redemptions.reverse")}</button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setOpen(false);
                  setError(undefined);
                  setMissing(false);
                }}
              >
                {t("common:cancel")}
              </button>
            </div>
          )}
        </form>
      ) : null}
    </li>
  );
}

function RedemptionsPage({ after, last, onMore }: { after: string | null; last: boolean; onMore: (cursor: string | null | undefined) => void }) {
  const { t } = useTranslation("institution");
  const courseName = useCourseNames();
  const learners = useLearnerNames();
  const [{ data, fetching, error }] = useQuery({ query: Redemptions, variables: { first: PAGE, after } });
  if (error && !data) return <FormErrors refusals={refusals(error).general([])} />;
  if (!data && fetching) return <Loading />;
  const page = data?.me?.redemptionsConnection;
  if (!page) return null;
  return (
    <>
      {page.nodes.length > 0 ? (
        <ul className="list">
          {page.nodes.map((item) => (
            <Redemption key={item.id} item={item} course={courseName(item.courseCode)} learner={learners.get(item.learner.id)} />
          ))}
        </ul>
      ) : null}
      {last ? (
        <MoreButton
          pageInfo={page.pageInfo}
          total={page.totalCount}
          onMore={() => onMore(page.pageInfo.endCursor)}
          empty={t("redemptions.empty")}
        />
      ) : null}
    </>
  );
}

export default function RedemptionsList() {
  const { t } = useTranslation("institution");
  const pages = usePages();
  return (
    <Page title={t("nav.redemptions")}>
      <p className="lead">{t("redemptions.lead", { days: REVERSAL_DAYS })}</p>
      {pages.afters.map((after, index) => (
        <RedemptionsPage key={after ?? "first"} after={after} last={index === pages.afters.length - 1} onMore={pages.more} />
      ))}
    </Page>
  );
}
