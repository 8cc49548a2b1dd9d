"""factory_boy factories with role traits: `MembershipFactory(centre=c, role=Role.EDUCATOR)`."""

from importlib import import_module

import factory
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps

from accounts.models import User
from centres.models import Centre, JobGroup, Membership, RegistrationType
from centres.roles import PLATFORM_STAFF_GRANTS, Role
from centres.services.memberships import delegate_number_allocate
from centres.services.roles import role_grant

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@trust{n % 7}.nhs.example")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=extracted is not False)

    class Params:
        unclaimed = factory.Trait(password=None)
        platform_staff = factory.Trait(is_staff=True)

    @classmethod
    def _create(cls, model_class, *args, password=None, **kwargs):
        user = model_class(*args, **kwargs)
        if password:
            user.password = password
        else:
            user.set_unusable_password()
        user.save()
        return user


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"Test Centre {n} NHS Trust")
    email = factory.LazyAttribute(lambda centre: f"learning@{centre.code.lower()}.nhs.example")


def job_groups_ensure() -> None:
    """A data migration loads the 36 job groups, but a transactional test (a real worker, a
    browser, a concurrency test) empties every table when it ends: put them back if gone."""
    if not JobGroup.objects.exists():
        import_module("centres.migrations.0002_job_groups").load_job_groups(django_apps, None)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A delegate record. Pass `role=Role.X` to also grant that role (through the service)."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CentreFactory)
    delegate_number = factory.LazyAttribute(
        lambda m: delegate_number_allocate(first_name=m.user.first_name, last_name=m.user.last_name)
    )
    job_group = factory.LazyFunction(lambda: JobGroup.objects.get(pk=1))
    is_approved = True
    is_active = True
    registration_type = RegistrationType.CENTRE

    class Params:
        unapproved = factory.Trait(is_approved=False, registration_type=RegistrationType.SELF)
        inactive = factory.Trait(is_active=False)

    @factory.post_generation
    def role(membership, create, extracted, **kwargs):
        if create and extracted:
            grant_role(membership.user, membership.centre, Role(extracted))


def grant_role(user, centre, role: Role):
    """Grant through the service: as platform staff for the roles they may grant (centre
    managers, authorisers, senior portal administrators, register roles), else as the centre's
    (factory) centre manager."""
    staff = User.objects.filter(is_staff=True, email="factory.staff@platform.nhs.example").first()
    if staff is None:
        staff = UserFactory(email="factory.staff@platform.nhs.example", platform_staff=True)
    if role in PLATFORM_STAFF_GRANTS:
        return role_grant(user=user, centre=centre, role=role, granted_by=staff)
    manager_membership = Membership.objects.for_centre(centre).filter(user__email__startswith="factory.manager").first()
    if manager_membership is None:
        manager = UserFactory(email=f"factory.manager.{centre.code.lower()}@platform.nhs.example")
        manager_membership = MembershipFactory(user=manager, centre=centre)
        role_grant(user=manager, centre=centre, role=Role.CENTRE_MANAGER, granted_by=staff)
    return role_grant(user=user, centre=centre, role=role, granted_by=manager_membership.user)
