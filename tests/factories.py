"""factory_boy factories shared across the suite."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from core.models import User
from core.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """People in tests have confirmed their email address, as the demo people have."""
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for role in extracted:
            self.groups.add(Group.objects.get(name=Role(role).value))
