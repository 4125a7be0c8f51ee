from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from solidarity.accounts.models import Membership, Role
from solidarity.core.demo import demo_member_organisation, load_demo


class Command(BaseCommand):
    help = "Load the demo case (idempotent). Needs the vocabularies."

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError("Create an administrator first (solidarity createsuperuser).")
        # The demo's records belong to the demo member organisation; the
        # administrator who loads them coordinates it.
        Membership.objects.get_or_create(
            user=user,
            organisation=demo_member_organisation(),
            defaults={"role": Role.COORDINATOR},
        )
        incident = load_demo(user=user)
        self.stdout.write(f"Demo incident: {incident.title} ({incident.code})")
