// The admin area's entries in the header's navigation: paths and their labels (a key of
// the namespace `ns`).
export const nav: { to: string; label: string; ns: string }[] = [
  { to: "/admin", label: "nav.stats", ns: "admin" },
  { to: "/admin/catalog", label: "nav.catalog", ns: "admin" },
  { to: "/admin/catalog/history", label: "nav.history", ns: "admin" },
  { to: "/admin/accounts", label: "nav.accounts", ns: "admin" },
  { to: "/admin/staff", label: "nav.staff", ns: "admin" },
];
