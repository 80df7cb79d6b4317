// The inbox, for every role (/learner/notifications, /reviewer/notifications for reviewers
// and admins, /institution/notifications): the account's messages newest first, a page
// at a time, each in the language read now and linking to what it is about; "Unread
// only"; mark one read, or all. New messages arrive while it is open (the header's
// subscription asks the page again).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { refusals } from "../api/refusals";
import { useSession, type Role } from "../api/session";
import { graphql } from "../gql";
import { useApi } from "../ui/api";
import { FormErrors } from "../ui/forms";
import { instant } from "../ui/format";
import { Loading, Page } from "../ui/Page";
import { MoreButton, usePages } from "../ui/Paged";
import { useToast } from "../ui/toasts";
import { NotificationsUnread } from "./documents";
import { aboutPath, preferencesPath } from "./links";
import "./notifications.css";

const NotificationsInbox = graphql(`
  query NotificationsInbox($first: Int, $after: String, $unread: Boolean) {
    me {
      id
      notifications(first: $first, after: $after, unread: $unread) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          kind
          title
          body
          about {
            type
            id
          }
          createdAt
          readAt
        }
      }
    }
  }
`);

const NotificationsMarkRead = graphql(`
  mutation NotificationsMarkRead($ids: [ID!], $all: Boolean) {
    markNotificationsRead(ids: $ids, all: $all)
  }
`);

const PAGE_SIZE = 20;

export interface Message {
  id: string;
  kind: string;
  title: string;
  body: string;
  about: { type: string; id: string };
  createdAt: string;
  readAt?: string | null;
}

function MessageRow({ message, role }: { message: Message; role: Role }) {
  const { t } = useTranslation("notifications");
  const api = useApi();
  const [marking, mark] = useMutation(NotificationsMarkRead);
  const to = aboutPath(role, message.about);
  const unread = !message.readAt;
  return (
    <li className={unread ? "message message-unread" : "message"} data-testid="message">
      <div className="message-head">
        <h2 className="message-title">{to ? <Link to={to}>{message.title}</Link> : message.title}</h2>
        <span className="message-tags">
          <span className="badge badge-info">{t(`kind.${message.kind}`, { defaultValue: message.kind })}</span>
          {unread ? <span className="badge badge-warn">{t("inbox.unread")}</span> : null}
        </span>
      </div>
      <p className="message-body">{message.body}</p>
      <p className="message-meta muted">
        <time dateTime={message.createdAt}>{instant(message.createdAt)}</time>
        {message.readAt ? <span>{t("inbox.read", { when: instant(message.readAt) })}</span> : null}
      </p>
      <FormErrors refusals={refusals(marking.error).general([])} />
      <div className="actions message-actions">
        {to ? (
          <Link to={to} className="button secondary small" aria-label={t("inbox.openOf", { title: message.title })}>
            {t("inbox.open")}
          </Link>
        ) : null}
        {unread ? (
          <button
            type="button"
            className="secondary small"
            disabled={marking.fetching}
            aria-label={t("inbox.markReadOf", { title: message.title })}
            onClick={async () => {
              const answer = await mark({ ids: [message.id] });
              if (!answer.error) api.refetchAll();
            }}
          >
            {t("inbox.markRead")}
          </button>
        ) : null}
      </div>
    </li>
  );
}

function MessagePage({
  after,
  unread,
  last,
  role,
  onMore,
}: {
  after: string | null;
  unread: boolean;
  last: boolean;
  role: Role;
  onMore: (cursor: string | null | undefined) => void;
}) {
  const { t } = useTranslation("notifications");
  const [result] = useQuery({ query: NotificationsInbox, variables: { first: PAGE_SIZE, after, unread } });
  const page = result.data?.me?.notifications;
  if (!page) {
    if (result.error) return <FormErrors refusals={refusals(result.error).general([])} />;
    return <Loading />;
  }
  return (
    <>
      {page.nodes.length > 0 ? (
        <ul className="list message-list">
          {page.nodes.map((message) => (
            <MessageRow key={message.id} message={message} role={role} />
          ))}
        </ul>
      ) : null}
      {last ? (
        <MoreButton
          pageInfo={page.pageInfo}
          total={page.totalCount}
          onMore={() => onMore(page.pageInfo.endCursor)}
          empty={t(unread ? "inbox.noneUnread" : "inbox.none")}
        />
      ) : null}
    </>
  );
}

function MessagePages({ unread, role }: { unread: boolean; role: Role }) {
  const pages = usePages();
  return (
    <>
      {pages.afters.map((after, index) => (
        <MessagePage
          key={after ?? ""}
          after={after}
          unread={unread}
          role={role}
          last={index === pages.afters.length - 1}
          onMore={pages.more}
        />
      ))}
    </>
  );
}

export default function Inbox() {
  const { t } = useTranslation("notifications");
  const session = useSession();
  const api = useApi();
  const toast = useToast();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [count] = useQuery({ query: NotificationsUnread });
  const [marking, mark] = useMutation(NotificationsMarkRead);
  const role: Role = session.status === "signed-in" ? session.account.role : "LEARNER";
  const unread = count.data?.me?.unreadNotifications ?? 0;
  return (
    <Page
      title={t("inbox.title")}
      actions={
        <>
          <button
            type="button"
            className="secondary"
            disabled={marking.fetching || unread === 0}
            onClick={async () => {
              const answer = await mark({ all: true });
              if (!answer.error) {
                toast(t("inbox.markedAll", { count: answer.data?.markNotificationsRead ?? 0 }));
                api.refetchAll();
              }
            }}
          >
            {t("inbox.markAll")}
          </button>
          <Link to={preferencesPath(role)} className="button secondary">
            {t("inbox.preferences")}
          </Link>
        </>
      }
    >
      <p className="lead">{t("inbox.intro")}</p>
      <FormErrors refusals={refusals(marking.error).general([])} />
      <div className="message-filter">
        <label>
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} /> {t("inbox.unreadOnly")}
        </label>
        <span className="muted" role="status" aria-live="polite">
          {count.data ? t("inbox.unreadCount", { count: unread }) : ""}
        </span>
      </div>
      <MessagePages key={String(unreadOnly)} unread={unreadOnly} role={role} />
    </Page>
  );
}
