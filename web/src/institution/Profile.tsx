// The institution's public profile (what the directory shows learners) and the catalog
// courses it offers (those whose credits it redeems), as checkboxes grouped by major;
// both prefilled from what the bank holds now.
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, type CombinedError } from "urql";
import { graphql } from "../gql";
import { refusals } from "../api/refusals";
import { useSession } from "../api/session";
import { FormErrors, TextField } from "../ui/forms";
import { Card, Empty, Loading, Page } from "../ui/Page";
import { credits, today } from "../ui/format";
import { useToast } from "../ui/toasts";

const ProfileQuery = graphql(`
  query InstitutionProfile {
    me {
      id
      institution {
        id
        code
        nameZh
        nameEn
        city
        coursesOffered {
          code
        }
      }
    }
    majorsConnection(first: 100) {
      nodes {
        code
        name
        courses {
          code
          name
          credits
          retiredFrom
        }
      }
    }
  }
`);

const SetProfile = graphql(`
  mutation InstitutionSetProfile($institutionId: ID!, $code: String!, $nameZh: String!, $nameEn: String!, $city: String!) {
    setInstitutionProfile(institutionId: $institutionId, code: $code, nameZh: $nameZh, nameEn: $nameEn, city: $city) {
      id
      code
      nameZh
      nameEn
      city
      name
      coursesOffered {
        code
      }
    }
  }
`);

const SetCourses = graphql(`
  mutation InstitutionSetCourses($courseCodes: [String!]!) {
    setCoursesOffered(courseCodes: $courseCodes) {
      id
      code
      coursesOffered {
        code
        name
      }
    }
  }
`);

const FIELDS = ["code", "nameZh", "nameEn", "city"] as const;
type Fields = Record<(typeof FIELDS)[number], string>;

export default function Profile() {
  const { t } = useTranslation("institution");
  const toast = useToast();
  const session = useSession();
  const [{ data, fetching, error: loadError }, reexecute] = useQuery({ query: ProfileQuery });
  const [, setProfile] = useMutation(SetProfile);
  const [, setCourses] = useMutation(SetCourses);
  const institution = data?.me?.institution;

  const [fields, setFields] = useState<Fields>({ code: "", nameZh: "", nameEn: "", city: "" });
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [prefilled, setPrefilled] = useState(false);
  const [profileError, setProfileError] = useState<CombinedError | undefined>();
  const [coursesError, setCoursesError] = useState<CombinedError | undefined>();
  const [busy, setBusy] = useState<"profile" | "courses" | null>(null);

  // prefill once, from what the bank holds
  useEffect(() => {
    if (prefilled || !data?.me) return;
    if (institution) {
      setFields({ code: institution.code, nameZh: institution.nameZh, nameEn: institution.nameEn, city: institution.city });
      setChosen(new Set(institution.coursesOffered.map((course) => course.code)));
    }
    setPrefilled(true);
  }, [data, institution, prefilled]);

  if (!data && fetching) {
    return (
      <Page title={t("nav.profile")}>
        <Loading />
      </Page>
    );
  }

  const institutionId = session.status === "signed-in" ? session.account.id : (data?.me?.id ?? "");
  const shownProfile = refusals(profileError);
  const shownCourses = refusals(coursesError);
  const now = today();
  const majors = (data?.majorsConnection.nodes ?? [])
    .map((major) => ({
      ...major,
      courses: major.courses.filter((course) => chosen.has(course.code) || !course.retiredFrom || course.retiredFrom > now),
    }))
    .filter((major) => major.courses.length > 0);

  async function saveProfile(event: FormEvent) {
    event.preventDefault();
    setBusy("profile");
    const result = await setProfile({
      institutionId,
      code: fields.code.trim(),
      nameZh: fields.nameZh.trim(),
      nameEn: fields.nameEn.trim(),
      city: fields.city.trim(),
    });
    setBusy(null);
    setProfileError(result.error);
    if (!result.error) {
      toast(t("profile.saved"));
      reexecute({ requestPolicy: "network-only" });
    }
  }

  async function saveCourses(event: FormEvent) {
    event.preventDefault();
    setBusy("courses");
    const result = await setCourses({ courseCodes: [...chosen].sort() });
    setBusy(null);
    setCoursesError(result.error);
    if (!result.error && result.data) {
      toast(t("profile.coursesSaved", { count: result.data.setCoursesOffered.coursesOffered.length }));
      reexecute({ requestPolicy: "network-only" });
    }
  }

  function toggle(code: string, on: boolean) {
    setChosen((all) => {
      const next = new Set(all);
      if (on) next.add(code);
      else next.delete(code);
      return next;
    });
  }

  return (
    <Page title={t("nav.profile")}>
      <p className="lead">{t("profile.lead")}</p>
      {loadError ? <FormErrors refusals={refusals(loadError).general([])} /> : null}
      <Card title={t("profile.details")}>
        <form className="form narrow" onSubmit={saveProfile} noValidate>
          <TextField
            label={t("profile.code")}
            hint={t("profile.codeHint")}
            required
            autoComplete="off"
            value={fields.code}
            onChange={(event) => setFields({ ...fields, code: event.target.value })}
            error={shownProfile.of("code")}
          />
          <TextField
            label={t("profile.nameZh")}
            lang="zh-CN"
            required
            value={fields.nameZh}
            onChange={(event) => setFields({ ...fields, nameZh: event.target.value })}
            error={shownProfile.of("nameZh")}
          />
          <TextField
            label={t("profile.nameEn")}
            lang="en"
            required
            value={fields.nameEn}
            onChange={(event) => setFields({ ...fields, nameEn: event.target.value })}
            error={shownProfile.of("nameEn")}
          />
          <TextField
            label={t("profile.city")}
            required
            autoComplete="address-level2"
            value={fields.city}
            onChange={(event) => setFields({ ...fields, city: event.target.value })}
            error={shownProfile.of("city")}
          />
          <FormErrors refusals={shownProfile.general([...FIELDS])} />
          <div className="actions">
            <button type="submit" disabled={busy !== null}>
              {t("profile.save")}
            </button>
          </div>
        </form>
      </Card>

      <Card title={t("profile.courses")}>
        {!institution ? <p className="muted">{t("profile.coursesNeedProfile")}</p> : null}
        <form className="form" onSubmit={saveCourses} noValidate>
          <p className="muted" style={{ margin: 0 }}>
            {t("profile.coursesLead")} {t("profile.offering", { count: chosen.size })}
          </p>
          {majors.length === 0 ? <Empty>{t("profile.noCourses")}</Empty> : null}
          {majors.map((major) => (
            <fieldset key={major.code} disabled={!institution} style={{ border: "1px solid var(--line)", borderRadius: "var(--radius)" }}>
              <legend style={{ fontWeight: 600 }}>
                {major.name} <span className="muted">{major.code}</span>
              </legend>
              <ul className="list" style={{ margin: 0 }}>
                {major.courses.map((course) => (
                  <li key={course.code} style={{ border: "none", padding: ".25rem 0", margin: 0 }}>
                    <label style={{ display: "flex", gap: ".5rem", alignItems: "flex-start", minHeight: "44px" }}>
                      <input
                        type="checkbox"
                        checked={chosen.has(course.code)}
                        onChange={(event) => toggle(course.code, event.target.checked)}
                        style={{ marginTop: ".35rem", width: "1.2rem", height: "1.2rem" }}
                      />
                      <span>
                        {course.name} <span className="muted">{course.code}</span>
                        <br />
                        <span className="muted">{t("profile.credits", { value: credits(course.credits) })}</span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          ))}
          {shownCourses.of("courseCodes") ? (
            <p className="field-error" role="alert">
              {shownCourses.of("courseCodes")}
            </p>
          ) : null}
          <FormErrors refusals={shownCourses.general(["courseCodes"])} />
          <div className="actions">
            <button type="submit" disabled={busy !== null || !institution}>
              {t("profile.saveCourses")}
            </button>
          </div>
        </form>
      </Card>
    </Page>
  );
}
