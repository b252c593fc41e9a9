from django.core.management.base import BaseCommand, CommandError

from assessments.services.library import library_sync
from cxaudit import instrument_schema as schema
from cxaudit.library import LIBRARY_DIR


class Command(BaseCommand):
    help = "Load the built-in instrument library; unchanged files change nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only validate the files; store nothing."
        )

    def handle(self, *args, check=False, verbosity=1, **options):
        try:
            if check:
                library = schema.load_library(LIBRARY_DIR)
                self.stdout.write(f"{len(library.instruments)} instruments are valid.")
                return
            report = library_sync()
        except schema.LibraryError as error:
            raise CommandError(f"The library was not loaded:\n{error}") from error
        if verbosity == 0:  # the test set-up and the bench run it quietly
            return
        for label, keys in (
            ("new", report.created),
            ("new version", report.updated),
            ("unchanged", report.unchanged),
        ):
            if keys:
                self.stdout.write(f"{label}: {', '.join(keys)}")
