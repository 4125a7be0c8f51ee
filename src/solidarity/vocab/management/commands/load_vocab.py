from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from solidarity.vocab.loader import VocabularyFileError, data_files, load_files


class Command(BaseCommand):
    help = "Load the controlled vocabularies (all shipped files, or the files given)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args, files, **options):
        try:
            reports = load_files(files or data_files())
        except VocabularyFileError as exc:
            raise CommandError(str(exc)) from exc
        for report in reports:
            self.stdout.write(str(report))
