"""Member institutions as anyone sees them: the public profile, the directory learners
search to find whom to grant a consent, and the catalog courses an institution offers;
the profile and the courses are set by the institution itself or an admin."""

from __future__ import annotations

import strawberry
from strawberry.federation.schema_directives import FieldSet, Key

from cbkit.i18n import Text
from cbkit.paging import Connection, connection, page_request
from services.accounts.domain import access, institutions
from services.accounts.domain.institutions import Institution as InstitutionRecord
from services.accounts.repository import institutions as store
from services.accounts.schema.context import Info
from services.accounts.service_layer import institutions as service_layer


@strawberry.federation.type(keys=[Key(fields=FieldSet("code"), resolvable=False)])
class Course:
    """A course of the catalog (conversion's entity)."""

    code: str


@strawberry.type(description="An institution's public profile: anyone may read it.")
class Institution:
    id: strawberry.ID = strawberry.field(description="the institution's account id")
    code: str
    name_zh: str
    name_en: str
    city: str
    record: strawberry.Private[InstitutionRecord]

    @strawberry.field(description="the name in the request's language (Accept-Language)")
    def name(self, info: Info) -> str:
        return Text(self.record.name_zh, self.record.name_en)(info.context.language)

    @strawberry.field(description="the catalog courses whose credits it redeems")
    async def courses_offered(self, info: Info) -> list[Course]:
        codes = await info.context.loader("offered", store.offered_by).load(self.record.account_id)
        return [Course(code=code) for code in codes]

    @classmethod
    def from_record(cls, record: InstitutionRecord) -> Institution:
        return cls(
            id=strawberry.ID(record.account_id),
            code=record.code,
            name_zh=record.name_zh,
            name_en=record.name_en,
            city=record.city,
            record=record,
        )


async def profile_of(info: Info, account_id: str) -> Institution | None:
    """The public profile of an institution's account; None for any other account."""
    loader = info.context.loader("institutions", store.profiles_by_account)
    record = await loader.load(account_id)
    return Institution.from_record(record) if record else None


@strawberry.type
class InstitutionQueries:
    @strawberry.field(
        description="The directory of member institutions, by code: `search` finds a code,"
        " a Chinese or English name or a city holding it (ignoring case). Anyone may read it."
    )
    async def institutions(
        self,
        info: Info,
        search: str | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Institution]:
        text = institutions.check_search(search)
        request = page_request("institutions", first, after)
        found = await info.context.run(store.directory, request, text)
        count = info.context.deferred(store.count_directory, text)
        return connection(found, Institution.from_record, count)

    @strawberry.field(description="The institution with this code (any case); anyone may read it.")
    async def institution(self, info: Info, code: str) -> Institution | None:
        record = await info.context.run(store.profile_by_code, code)
        return Institution.from_record(record) if record else None


@strawberry.type
class InstitutionMutations:
    @strawberry.mutation(
        description="An institution's public profile, by the institution itself or an admin."
    )
    async def set_institution_profile(
        self,
        info: Info,
        institution_id: strawberry.ID,
        code: str,
        name_zh: str,
        name_en: str,
        city: str,
    ) -> Institution:
        viewer = info.context.require(*access.MANAGES_INSTITUTIONS)
        target = access.institution_managed(viewer, str(institution_id))
        now = info.context.deps.clock.now()
        text = institutions.ProfileText(code, name_zh, name_en, city)
        record = await info.context.run(service_layer.set_profile, target, text, now)
        return Institution.from_record(record)

    @strawberry.mutation(
        description="Replace the catalog courses an institution offers: the institution"
        " itself, or an admin naming institutionId. Unknown or retired codes change nothing."
    )
    async def set_courses_offered(
        self, info: Info, course_codes: list[str], institution_id: strawberry.ID | None = None
    ) -> Institution:
        viewer = info.context.require(*access.MANAGES_INSTITUTIONS)
        target = access.institution_managed(
            viewer, None if institution_id is None else str(institution_id)
        )
        today = info.context.deps.clock.today()
        record = await info.context.run(
            service_layer.set_courses_offered, target, course_codes, today
        )
        return Institution.from_record(record)
