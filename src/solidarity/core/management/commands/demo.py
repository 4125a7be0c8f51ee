import secrets
import threading

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from solidarity.accounts.models import Membership, Role
from solidarity.core.demo import demo_member_organisation, load_demo
from solidarity.core.encryption import ensure_local_key, reset_keyring

DEMO_USERNAME = "demo"


def start_worker():
    """Run the background jobs (intake files) in a thread beside the demo's web server.

    In production run `solidarity db_worker` as its own service instead.
    """
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="demo",
        excluded_queue_names=[],
    )
    worker.thread = threading.Thread(target=worker.run, name="solidarity-jobs", daemon=True)
    worker.thread.start()
    return worker  # worker.running = False stops it after the current job


class Command(BaseCommand):
    help = "Set up the demo (database, vocabularies, demo case, login) and serve it."
    # The checks would refuse to run without an encryption key, which this creates.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Set up, then exit.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, no_serve, host, port, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        if not (settings.SOLIDARITY_ENCRYPTION_KEYS or settings.SOLIDARITY_ENCRYPTION_KEYS_FILE):
            path = ensure_local_key(settings.VAR_DIR)
            settings.SOLIDARITY_ENCRYPTION_KEYS_FILE = str(path)
            reset_keyring()
            self.stdout.write(
                f"Created an encryption key for the demo in {path} "
                "(in production keep keys away from the data; see docs/SECURITY.md)."
            )
        call_command("check", fail_level="ERROR")
        self.stdout.write("Creating or updating the database...")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Loading the vocabularies...")
        call_command("load_vocab", verbosity=0, stdout=self.stdout)
        self._demo_user()
        incident = load_demo(user=self._demo_loader())
        self.stdout.write(self.style.SUCCESS(f"Demo case loaded: {incident.title}"))
        if no_serve:
            return
        from waitress import serve

        from solidarity.core.middleware import largest_allowance
        from solidarity.wsgi import application

        start_worker()
        self.stdout.write(self.style.SUCCESS(f"Serving on http://{host}:{port}/ (Ctrl-C stops)"))
        # waitress reads a whole body before the application sees it: it refuses
        # (413) anything larger than the largest body a view accepts.
        serve(
            application,
            host=host,
            port=port,
            threads=4,
            max_request_body_size=largest_allowance(),
        )

    def _demo_loader(self):
        """The coordinator in whose name the demo case is recorded and published; no login."""
        User = get_user_model()
        user, created = User.objects.get_or_create(username="demo-coordinator")
        if created:
            user.set_unusable_password()
            user.save()
            Membership.objects.create(
                user=user, organisation=demo_member_organisation(), role=Role.COORDINATOR
            )
        return user

    def _demo_user(self):
        User = get_user_model()
        user = User.objects.filter(username=DEMO_USERNAME).first()
        if user:
            self.stdout.write(
                "The demo login exists; its password was printed when it was created "
                f"(reset it with: solidarity changepassword {DEMO_USERNAME})."
            )
            return user
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(DEMO_USERNAME, password=password)
        # A documenter: coordinators and administrators must set up two-factor
        # authentication before anything else, which would stand in the way of a
        # first look. `solidarity createsuperuser` makes an administrator.
        Membership.objects.create(
            user=user, organisation=demo_member_organisation(), role=Role.DOCUMENTER
        )
        self.stdout.write(
            self.style.WARNING(
                f"Demo login (shown once): user '{DEMO_USERNAME}', password '{password}'"
            )
        )
        return user
