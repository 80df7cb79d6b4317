// The institution area's entries in the header's navigation: paths under /institution and their labels
// (keys of the "institution" namespace).
export const nav: { to: string; label: string }[] = [];
