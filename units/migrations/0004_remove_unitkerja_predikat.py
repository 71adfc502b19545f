from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("units", "0003_predikat_history_from_field")]

    operations = [
        migrations.RemoveField(model_name="unitkerja", name="predikat"),
    ]
