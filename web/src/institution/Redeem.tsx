// Redeeming a learner's credits for a course the institution offers: one row per course,
// its button opens a confirmation ("Redeem 3.0 credits of … for …? Confirm / Cancel");
// nothing is sent before Confirm. A refusal shows next to the course it is about, or above
// the list when it names no course; a success shows the redemption.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, type CombinedError } from "urql";
import { graphql } from "../gql";
import { refusals } from "../api/refusals";
import { FormErrors } from "../ui/forms";
import { credits, instant } from "../ui/format";
import { confirmBox, okText, row } from "./shared";

const RedeemCredits = graphql(`
  mutation InstitutionRedeem($learnerId: ID!, $courseCode: String!) {
    redeemCredits(learnerId: $learnerId, courseCode: $courseCode) {
      id
      courseCode
      credits
      redeemedAt
      reversedAt
    }
  }
`);

export interface RedeemableCourse {
  code: string;
  name: string;
  /** the learner's credits for it (a decimal string) */
  credits: string;
  /** the learner's conversion's status: ACTIVE, REDEEMED, EXPIRED, REVOKED */
  status: string;
}

interface Done {
  credits: string;
  redeemedAt: string;
}

export function RedeemCourses({
  learner,
  courses,
  offersAny,
  onRedeemed,
}: {
  learner: { id: string; displayName: string };
  courses: RedeemableCourse[];
  offersAny: boolean;
  onRedeemed?: () => void;
}) {
  const { t } = useTranslation("institution");
  const [, redeem] = useMutation(RedeemCredits);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, CombinedError | undefined>>({});
  const [done, setDone] = useState<Record<string, Done | undefined>>({});

  async function confirm(course: RedeemableCourse) {
    setBusy(course.code);
    setErrors((all) => ({ ...all, [course.code]: undefined }));
    setDone((all) => ({ ...all, [course.code]: undefined }));
    const result = await redeem({ learnerId: learner.id, courseCode: course.code });
    setBusy(null);
    setConfirming(null);
    if (result.error || !result.data) {
      setErrors((all) => ({ ...all, [course.code]: result.error }));
      return;
    }
    const redemption = result.data.redeemCredits;
    setDone((all) => ({ ...all, [course.code]: { credits: redemption.credits, redeemedAt: redemption.redeemedAt } }));
    onRedeemed?.();
  }

  if (!offersAny) {
    return (
      <p className="muted">
        {t("redeem.noOffer")} <Link to="/institution/profile">{t("redeem.toProfile")}</Link>
      </p>
    );
  }
  if (courses.length === 0) return <p className="muted">{t("redeem.none")}</p>;
  // refusals naming no course (the consent ended, the learner is unknown…) go above the list
  const general = Object.values(errors).flatMap((error) => refusals(error).general(["courseCode", "learnerId"]));
  return (
    <>
      <FormErrors refusals={general} />
      <ul className="list">
        {courses.map((course) => {
          const shown = refusals(errors[course.code]);
          const message = shown.of("courseCode") ?? shown.of("learnerId");
          const success = done[course.code];
          const question = t("redeem.confirm", { credits: credits(course.credits), course: course.name, name: learner.displayName });
          return (
            <li key={course.code} data-testid={`redeem-${course.code}`}>
              <div style={row}>
                <div>
                  <strong>{course.name}</strong> <span className="muted">{course.code}</span>
                  <div>
                    {t("common:credits", { value: credits(course.credits) })}{" "}
                    <span className={`badge ${course.status === "ACTIVE" ? "badge-ok" : "badge-info"}`}>
                      {t(`status.${course.status}`, { defaultValue: course.status })}
                    </span>
                  </div>
                </div>
                {confirming !== course.code ? (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={t("redeem.buttonFor", { course: course.name })}
                    onClick={() => {
                      setConfirming(course.code);
                      setErrors((all) => ({ ...all, [course.code]: undefined }));
                    }}
                    disabled={busy !== null}
                  >
                    {t("redeem.button")}
                  </button>
                ) : null}
              </div>
              {confirming === course.code ? (
                <div style={confirmBox} role="group" aria-label={question}>
                  <p style={{ marginTop: 0 }}>{question}</p>
                  <div className="actions">
                    <button type="button" onClick={() => void confirm(course)} disabled={busy !== null}>
                      {busy === course.code ? t("redeem.busy") : t("redeem.confirmButton")}
                    </button>
                    <button type="button" className="secondary" onClick={() => setConfirming(null)} disabled={busy !== null}>
                      {t("common:cancel")}
                    </button>
                  </div>
                </div>
              ) : null}
              {message ? (
                <p className="field-error" role="alert">
                  {message}
                </p>
              ) : null}
              {success ? (
                <p style={okText} role="status">
                  <span className="badge badge-ok">✓</span>{" "}
                  {t("redeem.done", { credits: credits(success.credits), course: course.name, when: instant(success.redeemedAt) })}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}
