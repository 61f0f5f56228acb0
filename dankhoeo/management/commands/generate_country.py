from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from dankhoeo.demo import synthetic


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic data for benchmarks, marked as such: "
        "--scale province loads the demo (57 villages, seed_demo); national writes 34 provinces, "
        "3,300 communes, 60,000 villages and five years of surveys with bulk inserts; "
        "small and tiny are for tests. Refuses a database with real data unless --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["province", *synthetic.SCALES], default="province")
        parser.add_argument(
            "--province",
            type=int,
            help="Write only the synthetic province of this number (e.g. 17 for SYN17).",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Write even though the database holds data that is neither demo nor synthetic.",
        )

    def handle(self, *args, scale, yes, province=None, **options):
        real = synthetic.real_data_present()
        if real and not yes:
            raise CommandError(
                "This database holds data that is neither demo nor synthetic ("
                + ", ".join(real)
                + "). Use a database of its own, or --yes to add synthetic data anyway."
            )
        if scale == "province":
            call_command("seed_demo", stdout=self.stdout)
            analyse()
            return
        shape = synthetic.SCALES[scale]
        if synthetic.synthetic_villages().exists() and province:
            self.stdout.write("Synthetic villages are already there.")
            return
        if synthetic.synthetic_villages().count() == shape.villages:
            self.stdout.write(f"A synthetic country of {shape.villages} villages is already there.")
            return
        try:
            result = synthetic.generate(shape, progress=self.stdout.write, only=province)
        except synthetic.SyntheticDataError as error:
            raise CommandError(str(error)) from None
        analyse()
        self.stdout.write(
            f"Synthetic country (marked as demo data): {result.villages} villages, "
            f"{result.surveys} surveys, {result.values} values in {result.seconds:.0f} s."
        )


def analyse() -> None:
    """Fresh statistics for the query planner: a bulk load leaves the tables unanalysed until
    autovacuum comes by, and a benchmark run right after it would measure plans made for
    empty tables."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
