"""The one table of expected access: for every field reachable from `Query` and
`Subscription`, which kinds of caller may read it of the learner the matrix asks about.

The rule (issue 13): a learner's data (their account's email, opening date, balance,
ledger and consents; their results with evidence and certification; their conversions,
refusals and certificates; their credit events) is read by the learner and admins, by
an institution while the learner's consent to it is active, and, for results, evidence
and certification only, by a reviewer while they have a case for that learner. Nobody
else reads any of it. The catalog is public. A caller reads a field reached through
other fields only if it may read each of them (`tests/access/walk.py` takes the
intersection along the path).
"""

from __future__ import annotations

from enum import StrEnum


class Caller(StrEnum):
    """The kinds of caller the matrix asks as, each with its own token (or none)."""

    ANONYMOUS = "anonymous"
    LEARNER = "the learner"
    OTHER_LEARNER = "another learner"
    INSTITUTION = "institution, active consent"
    REVOKED_INSTITUTION = "institution, revoked consent"
    EXPIRED_INSTITUTION = "institution, expired consent"
    REVIEWER = "reviewer with a case"
    OTHER_REVIEWER = "reviewer without a case"
    ADMIN = "admin"


Readers = frozenset[Caller]

EVERYONE: Readers = frozenset(Caller)
"""The catalog, and what every caller may ask about themselves."""
LEARNERS_DATA: Readers = frozenset({Caller.LEARNER, Caller.ADMIN, Caller.INSTITUTION})
"""The learner, admins, and an institution under an active consent."""
RESULTS: Readers = LEARNERS_DATA | {Caller.REVIEWER}
"""Results, their evidence and certification: also a reviewer with a case for the learner."""
NAME: Readers = RESULTS | {Caller.OTHER_REVIEWER}
"""A learner's id and display name: what a review case shows any reviewer (accounts'
policy; the rule's list of a learner's data leaves them out)."""
REVIEW_DESK: Readers = frozenset({Caller.REVIEWER, Caller.OTHER_REVIEWER, Caller.ADMIN})
"""Who works the review queue (each sees the cases they may read)."""
ADMINS: Readers = frozenset({Caller.ADMIN})
"""The bank's operators: account lists, the bank's figures, the catalog's history."""
SELF: Readers = frozenset({Caller.LEARNER, Caller.ADMIN})
"""The account itself and admins (whether and why an account is disabled)."""
OWN: Readers = frozenset({Caller.LEARNER})
"""The account itself only, admins not: a private inbox."""
NOBODY: Readers = frozenset()
"""What no caller reads of the learner: an institution's webhook endpoints (she has none)."""


def rows(type_name: str, fields: str, readers: Readers) -> dict[str, Readers]:
    """One row per named field of `type_name` (names separated by spaces)."""
    return {f"{type_name}.{name}": readers for name in fields.split()}


def pages(*nodes: str) -> dict[str, Readers]:
    """The rows of the connections of `nodes`: a page shows what the field that gave it
    may show (the walk takes the intersection along the path), so they are EVERYONE's."""
    found: dict[str, Readers] = {}
    for node in nodes:
        found |= rows(f"{node}Connection", "edges nodes pageInfo totalCount", EVERYONE)
        found |= rows(f"{node}Edge", "cursor node", EVERYONE)
    return found


BILINGUAL = "nameZh nameEn description descriptionZh descriptionEn retiredFrom"
"""What the catalog's entries say in both languages, and from when they are retired."""

TABLE: dict[str, Readers] = {
    # Root fields, asked with the learner's ids where they take one.
    **rows("Query", "me", EVERYONE),  # about the caller; anonymous gets null: nobody
    **rows("Query", "account", NAME),
    **rows("Query", "outcome", RESULTS),
    **rows("Query", "reviewQueue", REVIEW_DESK),
    **rows("Query", "majors credentialTypes conversionRules previewConversion", EVERYONE),
    **rows("Query", "certificatePrograms conversionCaps", EVERYONE),
    **rows("Query", "reviewQueueConnection", REVIEW_DESK),
    **rows("Query", "accounts stats catalogHistory", ADMINS),
    **rows("Query", "institutions institution searchCatalog", EVERYONE),
    **rows("Query", "majorsConnection coursesConnection credentialTypesConnection", EVERYONE),
    **rows("Query", "conversionRulesConnection certificateProgramsConnection", EVERYONE),
    **rows("Subscription", "creditEvents", LEARNERS_DATA),  # receives the learner's events
    **rows("PageInfo", "hasNextPage hasPreviousPage startCursor endCursor", EVERYONE),
    **pages("Account", "Institution", "Certification", "Major", "Course", "CredentialType"),
    **pages("ConversionRule", "CertificateProgram", "CatalogChange", "LedgerEntry", "Consent"),
    **pages("Redemption", "Conversion", "AwardedCertificate", "ConversionRefusal", "Outcome"),
    # the bank's figures, each subgraph's own, for admins only on every path
    **rows("Stats", "id accountsByRole creditsByMonth resultsByStatus resultsByKind", ADMINS),
    **rows("Stats", "decisionsByMonth openCases overdueCases", ADMINS),
    **rows("RoleCount", "role count closed disabled", EVERYONE),
    **rows("CreditMonth", "month converted redeemed expired revoked reversed", EVERYONE),
    **rows("DecisionMonth", "month decided onTime late", EVERYONE),
    **rows("OutcomeStatusCount", "status count", EVERYONE),
    **rows("OutcomeKindCount", "kind count", EVERYONE),
    # accounts
    **rows("Account", "id displayName", NAME),
    **rows("Account", "role email createdAt balance ledger consents", LEARNERS_DATA),
    **rows("Account", "closedAt", NAME),  # what a closed account still answers
    **rows("Account", "disabledAt disabledReason", SELF),
    **rows("Account", "ledgerConnection consentsConnection consentedLearners", LEARNERS_DATA),
    **rows("Account", "redemptionsConnection", LEARNERS_DATA),
    **rows("Account", "institution", EVERYONE),  # an institution's public profile
    **rows("Redemption", "id courseCode credits redeemedAt learner institution", LEARNERS_DATA),
    **rows("Redemption", "reversedAt reversalReason", LEARNERS_DATA),
    # member institutions: the public directory
    **rows("Institution", "id code name nameZh nameEn city coursesOffered", EVERYONE),
    **rows("Balance", "available redeemed expired earned", LEARNERS_DATA),
    **rows("LedgerPage", "entries nextCursor", LEARNERS_DATA),
    **rows("LedgerEntry", "id kind credits courseCode conversionId", LEARNERS_DATA),
    **rows("LedgerEntry", "occurredAt note institution", LEARNERS_DATA),
    **rows("Consent", "id grantedAt expiresAt revokedAt learner institution", LEARNERS_DATA),
    **rows("Consent", "active", LEARNERS_DATA),
    **rows("CreditEvent", "id cursor type learnerId occurredAt data", LEARNERS_DATA),
    # outcomes
    **rows("Account", "outcomes outcomesConnection", RESULTS),
    **rows("Outcome", "id learner kind title issuer credentialCode", RESULTS),
    **rows("Outcome", "achievedOn hours evidence status submittedAt", RESULTS),
    **rows("Evidence", "id filename contentType size sha256", RESULTS),
    # certification
    **rows("Outcome", "certification", RESULTS),
    **rows("Certification", "id outcome status reviewer submittedOn dueOn", RESULTS),
    **rows("Certification", "decidedAt reason verifiedCredentialCode", RESULTS),
    **rows("Certification", "workingDaysLeft overdue history", RESULTS),
    **rows("CertificationStep", "status by at note", RESULTS),
    # conversion: what the learner was credited
    **rows("Account", "conversions certificates conversionRefusals", LEARNERS_DATA),
    **rows("Account", "conversionsConnection certificatesConnection", LEARNERS_DATA),
    **rows("Outcome", "conversions conversionRefusals", LEARNERS_DATA),
    **rows("Conversion", "id outcome learner credits status convertedAt", LEARNERS_DATA),
    **rows("Conversion", "expiresOn course rule ruleVersion explanation", LEARNERS_DATA),
    **rows("ConversionRefusal", "outcome reason at course code rule", LEARNERS_DATA),
    **rows("AwardedCertificate", "serial learner awardedAt flagged flagReason", LEARNERS_DATA),
    **rows("AwardedCertificate", "program", LEARNERS_DATA),
    # conversion: the signed credentials (Open Badges 3.0, CLR 2.0) of what was credited
    **rows("AwardedCertificate", "credential credentialUrl", LEARNERS_DATA),
    **rows("Account", "transcriptCredential", LEARNERS_DATA),
    # conversion: checking any credential handed in, public
    **rows("Query", "verifyCredential", EVERYONE),
    **rows("CredentialVerification", "verified proofValid issuer issuerName", EVERYONE),
    **rows("CredentialVerification", "issuedByThisBank status validFrom validUntil", EVERYONE),
    **rows("CredentialVerification", "types errors", EVERYONE),
    # conversion: the public catalog
    **rows("Major", "code name credentialCreditCap courses", EVERYONE),
    **rows("Course", "code name credits major", EVERYONE),
    **rows("CredentialType", "code name authority", EVERYONE),
    **rows("Major", BILINGUAL, EVERYONE),
    **rows("Course", BILINGUAL, EVERYONE),
    **rows("CredentialType", BILINGUAL, EVERYONE),
    **rows("CertificateProgram", BILINGUAL, EVERYONE),
    **rows("ConversionRule", "version effectiveFrom retiredFrom versions", EVERYONE),
    **rows("CatalogMatch", "kind code name score major course credentialType", EVERYONE),
    # the catalog's history: read by admins (Query.catalogHistory)
    **rows("CatalogChange", "id kind code action changedAt changedBy before after", EVERYONE),
    **rows("ConversionRule", "id credentialCode outcomeKind minHours credits", EVERYONE),
    **rows("ConversionRule", "validFrom validUntil creditValidityYears", EVERYONE),
    **rows("ConversionRule", "allowPartial course", EVERYONE),
    **rows("CertificateProgram", "code name minCredits requiredCourses", EVERYONE),
    **rows("ConversionCaps", "annualCredits", EVERYONE),
    # notifications: the account's own inbox and preferences, private to admins too
    **rows("Query", "notificationKinds", EVERYONE),
    **rows("Account", "notifications unreadNotifications notificationPreferences", OWN),
    **rows("Subscription", "notificationAdded", OWN),  # the caller's own new messages
    **pages("Notification"),
    **rows("Notification", "id kind title body about createdAt readAt", EVERYONE),
    **rows("NotificationAbout", "type id", EVERYONE),
    **rows("NotificationPreferences", "language email emailKinds", EVERYONE),
    # webhooks: an institution's own endpoints and their logs, read by it and admins;
    # asked of the learner's account, refused to all: a learner has no endpoints
    **rows("Query", "webhookEventTypes", EVERYONE),
    **rows("Account", "webhookEndpoints", NOBODY),
    **rows("Query", "webhookEndpoint", NOBODY),  # asked by the learner's id: no endpoint
    **rows("WebhookEndpoint", "id url eventTypes enabled disabledReason disabledAt", NOBODY),
    **rows("WebhookEndpoint", "createdAt deliveries previousSecretExpiresAt", NOBODY),
    **pages("WebhookDelivery"),
    **rows("WebhookDelivery", "id eventId eventType webhookId state attempts", NOBODY),
    **rows("WebhookDelivery", "succeeded nextAttemptAt cancelledReason", NOBODY),
    **rows("WebhookDelivery", "createdAt deliveredAt", NOBODY),
    **rows("WebhookAttempt", "at status responseMs error", NOBODY),
}
