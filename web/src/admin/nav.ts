// The admin area's entries in the header's navigation: paths under /admin and their labels
// (keys of the "admin" namespace).
export const nav: { to: string; label: string }[] = [];
