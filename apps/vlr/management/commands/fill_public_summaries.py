from django.core.management.base import BaseCommand

from apps.vlr.services import edition_public_summaries_fill


class Command(BaseCommand):
    help = (
        "Store what the public page of every approved or published edition shows, from its "
        "snapshot. Approvals store it; run this once after migrating (editions approved earlier "
        "read their whole snapshot on every request until then), and after a change to what the "
        "public reads of an edition."
    )

    def handle(self, *args, **options):
        stored, left = edition_public_summaries_fill()
        self.stdout.write(self.style.SUCCESS(f"Public page summaries stored for {stored:,} editions."))
        if left:
            self.stdout.write(
                self.style.WARNING(
                    f"{left:,} frozen editions have no snapshot of the present form: their public "
                    "pages keep showing the live rows each reader may see."
                )
            )
