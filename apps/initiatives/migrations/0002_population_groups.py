"""Leave-no-one-behind groups: a short reference list the initiative forms need everywhere."""

from django.db import migrations

from apps.initiatives.choices import GROUPS


def add_groups(apps, schema_editor):
    PopulationGroup = apps.get_model("initiatives", "PopulationGroup")
    for code, name_ko, name_en in GROUPS:
        PopulationGroup.objects.update_or_create(code=code, defaults={"name_ko": name_ko, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]
    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]
