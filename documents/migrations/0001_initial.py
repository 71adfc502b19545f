# The export jobs and signed documents move from evidence to documents (issue 10, "the
# house"). Only the state moves here: the tables stay as they are (evidence 0002 drops the
# models from evidence's state; documents 0002 renames the tables).

import django.db.models.deletion
import documents.models
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('evidence', '0001_initial'),
        ('lke', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DokumenTertandatangan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('berkas', models.FileField(max_length=300, upload_to=documents.models.dokumen_upload_to, verbose_name='berkas')),
                        ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                        ('ukuran', models.PositiveBigIntegerField(verbose_name='ukuran (byte)')),
                        ('nama_penandatangan', models.CharField(max_length=200, verbose_name='nama penandatangan')),
                        ('jabatan_penandatangan', models.CharField(blank=True, max_length=300, verbose_name='jabatan')),
                        ('subjek_sertifikat', models.CharField(max_length=500, verbose_name='subjek sertifikat')),
                        ('ditandatangani_pada', models.DateTimeField(verbose_name='ditandatangani pada')),
                        ('aktif', models.BooleanField(default=True, verbose_name='berlaku')),
                        ('penandatangan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('rencana_kerja', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='dokumen', to='evidence.rencanakerja')),
                    ],
                    options={
                        'verbose_name': 'dokumen tertandatangan',
                        'verbose_name_plural': 'dokumen tertandatangan',
                        'ordering': ['-ditandatangani_pada'],
                'db_table': 'evidence_dokumentertandatangan',
                    },
                ),
                migrations.CreateModel(
                    name='ExportJob',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('jenis', models.CharField(choices=[('lke_xlsx', 'LKE (Excel)'), ('rencana_kerja_pdf', 'Rencana kerja (PDF)')], max_length=20, verbose_name='jenis')),
                        ('params', models.JSONField(blank=True, default=dict, verbose_name='parameter')),
                        ('status', models.CharField(choices=[('antre', 'Dalam antrean'), ('proses', 'Sedang diproses'), ('selesai', 'Selesai'), ('gagal', 'Gagal')], default='antre', max_length=8, verbose_name='status')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='kemajuan (%)')),
                        ('berkas', models.FileField(blank=True, max_length=300, upload_to=documents.models.ekspor_upload_to, verbose_name='berkas')),
                        ('nama_berkas', models.CharField(blank=True, max_length=200, verbose_name='nama berkas')),
                        ('error', models.TextField(blank=True, verbose_name='pesan kesalahan')),
                        ('dibuat_pada', models.DateTimeField(auto_now_add=True, verbose_name='dibuat pada')),
                        ('selesai_pada', models.DateTimeField(blank=True, null=True, verbose_name='selesai pada')),
                        ('kedaluwarsa', models.DateTimeField(db_index=True, verbose_name='kedaluwarsa')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('penilaian', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ekspor', to='lke.penilaian')),
                    ],
                    options={
                        'verbose_name': 'ekspor',
                        'verbose_name_plural': 'ekspor',
                        'ordering': ['-dibuat_pada'],
                'db_table': 'evidence_exportjob',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
