// The institution area's entries in the header's navigation: paths and their labels (a key of
// the namespace `ns`).
export const nav: { to: string; label: string; ns: string }[] = [
  { to: "/institution", label: "nav.learners", ns: "institution" },
  { to: "/institution/redemptions", label: "nav.redemptions", ns: "institution" },
  { to: "/institution/feed", label: "nav.feed", ns: "institution" },
  { to: "/institution/profile", label: "nav.profile", ns: "institution" },
  { to: "/institution/webhooks", label: "nav.webhooks", ns: "notifications" },
  { to: "/institution/notifications", label: "nav.inbox", ns: "notifications" },
];
