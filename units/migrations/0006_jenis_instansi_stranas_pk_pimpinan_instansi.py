"""Tabel 5 needs the kind of instansi (pemda / K/L) and the Stranas PK units; the new
role *pimpinan instansi* is held for a whole instansi (issue 12 parts 3 and 4).

Migrating back: the old schema cannot hold a pimpinan instansi (its peran is too long for
the old column and its instansi-wide membership breaks the old constraint), so those
memberships are removed first.
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _drop_pimpinan_instansi(apps: Any, schema_editor: Any) -> None:
    apps.get_model("units", "Keanggotaan").objects.filter(peran="pimpinan_instansi").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('units', '0005_profilpengguna'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='keanggotaan',
            name='keanggotaan_unit_xor_instansi_tpi',
        ),
        migrations.AddField(
            model_name='instansi',
            name='jenis',
            field=models.CharField(blank=True, choices=[('', 'Belum diisi'), ('pemda', 'Pemerintah daerah'), ('kl', 'Kementerian/lembaga')], default='', help_text='Menentukan batas Indeks RB pada Tabel 5 (syarat pengusulan).', max_length=8, verbose_name='jenis instansi'),
        ),
        migrations.AddField(
            model_name='unitkerja',
            name='stranas_pk',
            field=models.CharField(blank=True, choices=[('', 'Bukan unit prioritas Stranas PK'), ('rsud', 'Rumah sakit umum daerah'), ('dukcapil', 'Dinas kependudukan dan catatan sipil'), ('samsat', 'Sistem administrasi manunggal satu atap (Samsat)'), ('ptsp', 'Pelayanan terpadu satu pintu (PTSP)'), ('pendidikan', 'Pelayanan pendidikan'), ('ketenagakerjaan', 'Pelayanan ketenagakerjaan')], default='', help_text='Unit pemerintah daerah ini boleh diusulkan sambil memenuhi syarat Tabel 5 (PermenPANRB 5/2024).', max_length=16, verbose_name='unit prioritas Stranas PK'),
        ),
        migrations.AlterField(
            model_name='keanggotaan',
            name='instansi',
            field=models.ForeignKey(blank=True, help_text='Hanya untuk TPI yang menilai semua unit kerja instansi ini dan pimpinan instansi.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='keanggotaan', to='units.instansi', verbose_name='seluruh unit instansi'),
        ),
        migrations.AlterField(
            model_name='keanggotaan',
            name='peran',
            field=models.CharField(choices=[('tim_kerja', 'Tim kerja'), ('tpi', 'TPI'), ('pimpinan', 'Pimpinan'), ('admin', 'Admin unit'), ('pimpinan_instansi', 'Pimpinan instansi')], max_length=20, verbose_name='peran'),
        ),
        migrations.AddConstraint(
            model_name='keanggotaan',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('instansi__isnull', True), ('unit__isnull', False), models.Q(('peran', 'pimpinan_instansi'), _negated=True)), models.Q(('instansi__isnull', False), ('peran__in', ['tpi', 'pimpinan_instansi']), ('unit__isnull', True)), _connector='OR'), name='keanggotaan_unit_xor_instansi'),
        ),
        migrations.RunPython(migrations.RunPython.noop, _drop_pimpinan_instansi),
    ]
