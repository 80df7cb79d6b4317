// Staff accounts: the admin opens an account for a reviewer, an institution or another
// admin (refusals next to their fields), and sees the staff there are, by role (a hundred
// at a time: the newest are listed last).
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { refusals } from "../api/refusals";
import { graphql } from "../gql";
import { FormErrors, SelectField, TextField } from "../ui/forms";
import { Card, Page } from "../ui/Page";
import { instant } from "../ui/format";
import { useToast } from "../ui/toasts";
import { PagedTable } from "./paged";

export const AdminCreateStaff = graphql(`
  mutation AdminCreateStaff($role: Role!, $email: String!, $password: String!, $displayName: String!) {
    createStaffAccount(role: $role, email: $email, password: $password, displayName: $displayName) {
      id
      role
      email
      displayName
      createdAt
    }
  }
`);

const AdminStaffList = graphql(`
  query AdminStaffList($role: Role!, $first: Int, $after: String) {
    accounts(role: $role, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        email
        displayName
        createdAt
        disabledAt
      }
    }
  }
`);

export const STAFF_ROLES = ["REVIEWER", "INSTITUTION", "ADMIN"] as const;
type StaffRole = (typeof STAFF_ROLES)[number];
const FIELDS = ["role", "email", "password", "displayName"] as const;
type Checks = Partial<Record<(typeof FIELDS)[number], string>>;

/** The form that opens a staff account; plain and labelled (the e2e story uses it). */
export function StaffForm() {
  const { t } = useTranslation("admin");
  const toast = useToast();
  const [role, setRole] = useState<StaffRole>("REVIEWER");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [checks, setChecks] = useState<Checks>({});
  const [made, setMade] = useState<string | null>(null);
  const [result, create] = useMutation(AdminCreateStaff);
  const shown = refusals(result.error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Checks = {};
    if (!displayName.trim()) found.displayName = t("staff.check.displayName");
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) found.email = t("staff.check.email");
    if (password.length < 10) found.password = t("staff.check.password");
    setChecks(found);
    setMade(null);
    if (Object.keys(found).length > 0) return;
    // a role's list that was empty holds no Account for urql to invalidate: name its connection
    const answer = await create(
      { role, email: email.trim(), password, displayName: displayName.trim() },
      { additionalTypenames: ["AccountConnection"] },
    );
    if (answer.data?.createStaffAccount) {
      const opened = answer.data.createStaffAccount;
      const note = t("staff.created", { name: opened.displayName, email: opened.email });
      toast(note);
      setMade(note);
      setEmail("");
      setPassword("");
      setDisplayName("");
    }
  };

  const errorOf = (field: (typeof FIELDS)[number]) => checks[field] ?? shown.of(field);

  return (
    <form className="form narrow" onSubmit={submit} noValidate aria-labelledby="staff-form-title">
      <h2 id="staff-form-title">{t("staff.formTitle")}</h2>
      <SelectField
        label={t("staff.role")}
        name="role"
        value={role}
        onChange={(e) => setRole(e.target.value as StaffRole)}
        error={errorOf("role")}
        options={STAFF_ROLES.map((value) => ({ value, label: t(`common:role.${value}`) }))}
      />
      <TextField
        label={t("staff.displayName")}
        name="displayName"
        autoComplete="off"
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        error={errorOf("displayName")}
      />
      <TextField
        label={t("staff.email")}
        name="email"
        type="email"
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errorOf("email")}
      />
      <TextField
        label={t("staff.password")}
        name="password"
        type="password"
        autoComplete="new-password"
        hint={t("staff.passwordHint")}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errorOf("password")}
      />
      <FormErrors refusals={shown.general(FIELDS)} />
      <div className="actions">
        <button type="submit" disabled={result.fetching}>
          {t("staff.submit")}
        </button>
        {made ? <span className="badge badge-ok">{made}</span> : null}
      </div>
    </form>
  );
}

function StaffOfRole({ role }: { role: StaffRole }) {
  const { t } = useTranslation("admin");
  const title = t(`common:role.${role}`);
  return (
    <section aria-labelledby={`staff-${role}`}>
      <h3 id={`staff-${role}`}>{title}</h3>
      <PagedTable
        query={AdminStaffList}
        variables={{ role, first: 100 }}
        pick={(data) => data.accounts}
        caption={title}
        columns={4}
        empty={t("staff.none")}
        head={
          <tr>
            <th scope="col">{t("accounts.name")}</th>
            <th scope="col">{t("accounts.email")}</th>
            <th scope="col">{t("accounts.created")}</th>
            <th scope="col">{t("accounts.state")}</th>
          </tr>
        }
        row={(account) => (
          <tr key={account.id}>
            <td>{account.displayName}</td>
            <td>{account.email}</td>
            <td>{instant(account.createdAt)}</td>
            <td>
              {account.disabledAt ? (
                <span className="badge badge-danger">{t("accounts.disabled")}</span>
              ) : (
                <span className="badge badge-ok">{t("accounts.active")}</span>
              )}
            </td>
          </tr>
        )}
      />
    </section>
  );
}

export default function Staff() {
  const { t } = useTranslation("admin");
  return (
    <Page title={t("nav.staff")}>
      <Card>
        <StaffForm />
      </Card>
      <Card title={t("staff.listTitle")}>
        {STAFF_ROLES.map((role) => (
          <StaffOfRole key={role} role={role} />
        ))}
      </Card>
    </Page>
  );
}
