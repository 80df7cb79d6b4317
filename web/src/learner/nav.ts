// The learner area's entries in the header's navigation: paths and their labels (a key of
// the namespace `ns`).
export const nav: { to: string; label: string; ns: string }[] = [
  { to: "/learner", label: "nav.dashboard", ns: "learner" },
  { to: "/learner/results", label: "nav.results", ns: "learner" },
  { to: "/learner/results/new", label: "nav.addResult", ns: "learner" },
  { to: "/learner/transcript", label: "nav.transcript", ns: "consents" },
  { to: "/learner/institutions", label: "nav.directory", ns: "consents" },
  { to: "/learner/consents", label: "nav.consents", ns: "consents" },
  { to: "/learner/notifications", label: "nav.inbox", ns: "notifications" },
];
