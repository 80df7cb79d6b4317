// Placeholder: the learner's live updates (toasts on credit events), by the consents author.
export function LearnerLive() {
  return null;
}
