// The reviewer area's entries in the header's navigation: paths under /reviewer and their labels
// (keys of the "reviewer" namespace).
export const nav: { to: string; label: string }[] = [];
