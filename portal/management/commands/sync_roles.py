from django.core.management.base import BaseCommand

from portal.roles import sync_roles


class Command(BaseCommand):
    help = "Create or refresh the staff groups (editors, publishers) and their permissions."

    def handle(self, *args, **options):
        for group, count in sync_roles().items():
            self.stdout.write(f"{group}: {count} permissions")
