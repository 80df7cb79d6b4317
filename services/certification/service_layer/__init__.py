"""Use cases of certification, each taking a connection: `reviews` (what reviewers
do), `outcomes` (what outcome events do to cases), `deadlines` (overdue cases and
the metrics); `dependencies` is what they share."""
