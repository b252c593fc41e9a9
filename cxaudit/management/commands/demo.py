"""Load a demo consultancy and client company (DEBUG only); safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cxaudit.accounts.models import Membership, Organisation, OrganisationKind, Role, User

DEMO_PASSWORD = "demo-cx-2026"  # noqa: S105 - printed for the developer, DEBUG only

PEOPLE = [
    ("consultant@demo.cxaudit", "Анна Консультант", Role.CONSULTANT),
    ("manager@demo.cxaudit", "Борис Руководитель", Role.MANAGER),
    ("staff1@demo.cxaudit", "Вера Сотрудник", Role.STAFF),
    ("staff2@demo.cxaudit", "Глеб Сотрудник", Role.STAFF),
]


class Command(BaseCommand):
    help = "Create the demo consultancy, client company and people (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("The demo is loaded only with DEBUG on.")
        consultancy, _ = Organisation.objects.get_or_create(
            kind=OrganisationKind.CONSULTANCY, name="Сервис-Консалтинг"
        )
        company, _ = Organisation.objects.get_or_create(
            kind=OrganisationKind.COMPANY,
            name="Кофейня «Зерно»",
            defaults={"parent": consultancy, "industry": "Общепит"},
        )
        for email, name, role in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
            organisation = consultancy if role == Role.CONSULTANT else company
            Membership.objects.get_or_create(
                user=user, organisation=organisation, defaults={"role": role}
            )
        from assessments.demo import demo_audits
        from cxaudit.metrics.demo import demo_metrics
        from surveys.demo import demo_surveys

        users = {email: User.objects.get(email=email) for email, _name, _role in PEOPLE}
        demo_audits(
            company=company,
            consultant=users["consultant@demo.cxaudit"],
            staff=[users["staff1@demo.cxaudit"], users["staff2@demo.cxaudit"]],
        )
        demo_surveys(company=company, manager=users["manager@demo.cxaudit"])
        demo_metrics(company=company, by=users["manager@demo.cxaudit"])
        self.stdout.write(self.style.SUCCESS("Demo ready. Sign in at http://127.0.0.1:8000/ as:"))
        for email, _name, role in PEOPLE:
            self.stdout.write(f"  {role:<11} {email}  /  {DEMO_PASSWORD}")
