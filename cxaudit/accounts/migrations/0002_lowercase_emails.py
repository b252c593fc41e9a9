"""Store every account's e-mail lower-cased, as sign-in now looks it up.

An account whose lower-cased e-mail belongs to another account already is left as it is:
merging two people's accounts is for a person to decide, not a migration.
"""

from django.db import migrations


def lowercase_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("email", flat=True))
    for pk, email in User.objects.values_list("pk", "email"):
        lowered = email.strip().lower()
        if lowered != email and lowered not in taken:
            User.objects.filter(pk=pk).update(email=lowered)
            taken.add(lowered)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(lowercase_emails, reverse_code=migrations.RunPython.noop)]
