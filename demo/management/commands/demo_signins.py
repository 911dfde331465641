from django.core.management.base import BaseCommand

from demo.people import DEMO_PEOPLE, demo_password, demo_totp_code, demo_totp_secret


class Command(BaseCommand):
    help = "Print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where it is served")

    def handle(self, *args, **options):
        width = max(len(person.email) for person in DEMO_PEOPLE)
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password: {demo_password()})")
        for person in DEMO_PEOPLE:
            self.stdout.write(
                f"  {person.email:<{width}}  {person.role.value}: {person.description}"
            )
        self.stdout.write("")
        self.stdout.write(
            "Staff then enter a code from an authenticator app set up with the demo key "
            f"{demo_totp_secret()} (the code now: {demo_totp_code()}; "
            "run demo_signins again for a fresh one)"
        )
        self.stdout.write("")
        self.stdout.write(f"Open {options['url']} and sign in at {options['url']}/accounts/login/")
        self.stdout.write("")
