# ExportJob and DokumenTertandatangan now belong to documents (see documents 0001): drop
# them from this app's state only; their tables and rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('evidence', '0001_initial'),
        ('documents', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='DokumenTertandatangan'),
                migrations.DeleteModel(name='ExportJob'),
            ],
            database_operations=[],
        ),
    ]
