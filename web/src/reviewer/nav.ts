// The reviewer area's entries in the header's navigation: paths and their labels (a key of
// the namespace `ns`).
export const nav: { to: string; label: string; ns: string }[] = [
  { to: "/reviewer", label: "nav.queue", ns: "reviewer" },
  { to: "/reviewer/history", label: "nav.history", ns: "reviewer" },
  { to: "/reviewer/notifications", label: "nav.inbox", ns: "notifications" },
];
