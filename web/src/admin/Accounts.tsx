// Accounts: find an account by email or name, narrow by role or state; disable one (with
// a reason, confirmed in place) or let it sign in again. Never one's own.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { refusals } from "../api/refusals";
import { useSession } from "../api/session";
import { graphql } from "../gql";
import type { Role } from "../gql/graphql";
import { FormErrors, SelectField, TextField } from "../ui/forms";
import { instant } from "../ui/format";
import { Card, Page } from "../ui/Page";
import { useToast } from "../ui/toasts";
import { PagedTable } from "./paged";

const AdminAccounts = graphql(`
  query AdminAccounts($search: String, $role: Role, $disabled: Boolean, $first: Int, $after: String) {
    accounts(search: $search, role: $role, disabled: $disabled, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        role
        email
        displayName
        createdAt
        disabledAt
        disabledReason
      }
    }
  }
`);

const AdminDisableAccount = graphql(`
  mutation AdminDisableAccount($id: ID!, $reason: String!) {
    disableAccount(id: $id, reason: $reason) {
      id
      disabledAt
      disabledReason
    }
  }
`);

const AdminEnableAccount = graphql(`
  mutation AdminEnableAccount($id: ID!) {
    enableAccount(id: $id) {
      id
      disabledAt
      disabledReason
    }
  }
`);

const ROLES: Role[] = ["LEARNER", "REVIEWER", "INSTITUTION", "ADMIN"];

interface Row {
  id: string;
  displayName: string;
  email: string;
  disabledAt?: string | null;
}

function DisableControl({ account }: { account: Row }) {
  const { t } = useTranslation("admin");
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [check, setCheck] = useState<string | undefined>();
  const [result, disable] = useMutation(AdminDisableAccount);
  const shown = refusals(result.error);
  if (!open) {
    return (
      <button type="button" className="secondary small" onClick={() => setOpen(true)} aria-label={t("accounts.disableOf", { name: account.displayName })}>
        {t("accounts.disable")}
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setCheck(t("accounts.reasonNeeded"));
      return;
    }
    setCheck(undefined);
    const answer = await disable({ id: account.id, reason: reason.trim() });
    if (answer.data?.disableAccount) {
      toast(t("accounts.disabledToast", { name: account.displayName }));
      setOpen(false);
      setReason("");
    }
  };
  return (
    <form className="form" onSubmit={submit} noValidate style={{ minWidth: "14rem" }}>
      <TextField
        label={t("accounts.reasonOf", { name: account.displayName })}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={check ?? shown.of("reason")}
        autoFocus
      />
      <FormErrors refusals={shown.general(["reason"])} />
      <div className="actions">
        <button type="submit" className="danger small" disabled={result.fetching}>
          {t("accounts.confirmDisable")}
        </button>
        <button type="button" className="secondary small" onClick={() => setOpen(false)}>
          {t("common:cancel")}
        </button>
      </div>
    </form>
  );
}

function EnableControl({ account }: { account: Row }) {
  const { t } = useTranslation("admin");
  const toast = useToast();
  const [result, enable] = useMutation(AdminEnableAccount);
  const shown = refusals(result.error);
  return (
    <>
      <button
        type="button"
        className="secondary small"
        disabled={result.fetching}
        aria-label={t("accounts.enableOf", { name: account.displayName })}
        onClick={async () => {
          const answer = await enable({ id: account.id });
          if (answer.data?.enableAccount) toast(t("accounts.enabledToast", { name: account.displayName }));
        }}
      >
        {t("accounts.enable")}
      </button>
      <FormErrors refusals={shown.general([])} />
    </>
  );
}

export default function Accounts() {
  const { t } = useTranslation("admin");
  const session = useSession();
  const me = session.status === "signed-in" ? session.account.id : null;
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  const [role, setRole] = useState<"" | Role>("");
  const [state, setState] = useState<"" | "active" | "disabled">("");

  const variables = {
    search: search || null,
    role: role || null,
    disabled: state === "" ? null : state === "disabled",
    first: 20,
  };

  return (
    <Page title={t("nav.accounts")}>
      <Card>
        <form
          className="grid"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            setSearch(typed.trim());
          }}
        >
          <TextField label={t("accounts.search")} type="search" value={typed} onChange={(e) => setTyped(e.target.value)} hint={t("accounts.searchHint")} />
          <SelectField
            label={t("accounts.role")}
            value={role}
            onChange={(e) => setRole(e.target.value as "" | Role)}
            options={[{ value: "", label: t("accounts.anyRole") }, ...ROLES.map((value) => ({ value, label: t(`common:role.${value}`) }))]}
          />
          <SelectField
            label={t("accounts.state")}
            value={state}
            onChange={(e) => setState(e.target.value as "" | "active" | "disabled")}
            options={[
              { value: "", label: t("accounts.anyState") },
              { value: "active", label: t("accounts.active") },
              { value: "disabled", label: t("accounts.disabled") },
            ]}
          />
          <div className="actions">
            <button type="submit">{t("common:search")}</button>
          </div>
        </form>
      </Card>
      <PagedTable
        query={AdminAccounts}
        variables={variables}
        pick={(data) => data.accounts}
        caption={t("nav.accounts")}
        columns={5}
        empty={t("accounts.none")}
        head={
          <tr>
            <th scope="col">{t("accounts.name")}</th>
            <th scope="col">{t("accounts.role")}</th>
            <th scope="col">{t("accounts.created")}</th>
            <th scope="col">{t("accounts.state")}</th>
            <th scope="col">{t("accounts.actions")}</th>
          </tr>
        }
        row={(account) => (
          <tr key={account.id}>
            <td>
              {account.displayName}
              <br />
              <span className="muted">{account.email}</span>
            </td>
            <td>{t(`common:role.${account.role}`)}</td>
            <td>{instant(account.createdAt)}</td>
            <td>
              {account.disabledAt ? (
                <>
                  <span className="badge badge-danger">{t("accounts.disabled")}</span>
                  <br />
                  <span className="muted">
                    {instant(account.disabledAt)}
                    {account.disabledReason ? ` · ${account.disabledReason}` : ""}
                  </span>
                </>
              ) : (
                <span className="badge badge-ok">{t("accounts.active")}</span>
              )}
            </td>
            <td>
              {account.id === me ? (
                <span className="muted">{t("accounts.you")}</span>
              ) : account.disabledAt ? (
                <EnableControl account={account} />
              ) : (
                <DisableControl account={account} />
              )}
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
