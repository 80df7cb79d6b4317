// The learner area's entries in the header's navigation: paths under /learner and their labels
// (keys of the "learner" namespace).
export const nav: { to: string; label: string }[] = [];
