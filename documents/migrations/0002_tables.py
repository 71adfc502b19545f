# The moved tables take this app's names; their content types follow, so admin history
# and permissions keep pointing at the same rows.

from django.db import migrations

MOVED = ('exportjob', 'dokumentertandatangan')


def content_types_forward(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MOVED:
        if not ContentType.objects.filter(app_label='documents', model=model).exists():
            ContentType.objects.filter(app_label='evidence', model=model).update(
                app_label='documents'
            )


def content_types_backward(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MOVED:
        if not ContentType.objects.filter(app_label='evidence', model=model).exists():
            ContentType.objects.filter(app_label='documents', model=model).update(
                app_label='evidence'
            )


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0001_initial'),
        ('evidence', '0002_documents_move_out'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(name='exportjob', table=None),
        migrations.AlterModelTable(name='dokumentertandatangan', table=None),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
