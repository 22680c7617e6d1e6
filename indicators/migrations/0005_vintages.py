"""Figures get vintages (issue 17): a `vintage` (estimate, preliminary, official, revised)
and the date it was given, `released_on`; a figure may now have several rows, one per
vintage. Each existing row becomes one vintage: its `figure_status` ("preliminary" or
"official", or not stated) becomes its vintage, then that column goes.
"""

from django.db import migrations, models

# The old figure_status values, frozen here: both name a vintage of the same meaning.
STATUS_TO_VINTAGE = {"preliminary": "preliminary", "official": "official"}


def status_to_vintage(apps, schema_editor):
    for name in ("Value", "HistoricalValue"):
        rows = apps.get_model("indicators", name)._base_manager
        for status, vintage in STATUS_TO_VINTAGE.items():
            rows.filter(figure_status=status).update(vintage=vintage)


def vintage_to_status(apps, schema_editor):
    """Back to one row per figure: only possible while no figure has a second vintage
    (the old unique constraint comes back after this)."""
    for name in ("Value", "HistoricalValue"):
        rows = apps.get_model("indicators", name)._base_manager
        for status, vintage in STATUS_TO_VINTAGE.items():
            rows.filter(vintage=vintage).update(figure_status=status)


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0016_issuer_names_in_search_text'),
        ('indicators', '0004_pending_values'),
        ('meetings', '0006_calendar_sequence'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalvalue',
            name='released_on',
            field=models.DateField(blank=True, help_text='Ngày văn bản hoặc hội nghị nêu con số này. Bắt buộc với số điều chỉnh.', null=True, verbose_name='ngày công bố số liệu'),
        ),
        migrations.AddField(
            model_name='historicalvalue',
            name='vintage',
            field=models.CharField(blank=True, choices=[('estimate', 'Ước tính'), ('preliminary', 'Sơ bộ'), ('official', 'Chính thức'), ('revised', 'Điều chỉnh')], default='', help_text='Ước tính, sơ bộ, chính thức hay điều chỉnh. Số mới của cùng kỳ và loại số liệu thì thêm một dòng mới: các lần trước vẫn được giữ và hiện là số đã điều chỉnh.', max_length=20, verbose_name='lần công bố'),
        ),
        migrations.AddField(
            model_name='value',
            name='released_on',
            field=models.DateField(blank=True, help_text='Ngày văn bản hoặc hội nghị nêu con số này. Bắt buộc với số điều chỉnh.', null=True, verbose_name='ngày công bố số liệu'),
        ),
        migrations.AddField(
            model_name='value',
            name='vintage',
            field=models.CharField(blank=True, choices=[('estimate', 'Ước tính'), ('preliminary', 'Sơ bộ'), ('official', 'Chính thức'), ('revised', 'Điều chỉnh')], default='', help_text='Ước tính, sơ bộ, chính thức hay điều chỉnh. Số mới của cùng kỳ và loại số liệu thì thêm một dòng mới: các lần trước vẫn được giữ và hiện là số đã điều chỉnh.', max_length=20, verbose_name='lần công bố'),
        ),
        migrations.RunPython(status_to_vintage, vintage_to_status),
        migrations.RemoveConstraint(
            model_name='value',
            name='indicators_value_unique_indicator_period_kind',
        ),
        migrations.RemoveConstraint(
            model_name='value',
            name='indicators_value_figure_status_valid',
        ),
        migrations.RemoveField(
            model_name='historicalvalue',
            name='figure_status',
        ),
        migrations.RemoveField(
            model_name='value',
            name='figure_status',
        ),
        migrations.AddConstraint(
            model_name='value',
            constraint=models.UniqueConstraint(condition=models.Q(('vintage', 'revised'), _negated=True), fields=('indicator', 'period', 'kind', 'vintage'), name='indicators_value_unique_vintage', violation_error_message='Chỉ tiêu này đã có số liệu cùng kỳ, cùng loại và cùng lần công bố. Sửa số đó, hoặc thêm số mới với lần công bố khác (điều chỉnh).'),
        ),
        migrations.AddConstraint(
            model_name='value',
            constraint=models.UniqueConstraint(condition=models.Q(('vintage', 'revised')), fields=('indicator', 'period', 'kind', 'released_on'), name='indicators_value_unique_revision_date', violation_error_message='Chỉ tiêu này đã có một số điều chỉnh cùng kỳ, cùng loại và cùng ngày.'),
        ),
        migrations.AddConstraint(
            model_name='value',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('vintage', 'revised'), _negated=True), ('released_on__isnull', False), _connector='OR'), name='indicators_value_revision_dated', violation_error_message='Số điều chỉnh phải có ngày công bố.'),
        ),
        migrations.AddConstraint(
            model_name='value',
            constraint=models.CheckConstraint(condition=models.Q(('vintage', ''), ('vintage__in', ['estimate', 'preliminary', 'official', 'revised']), _connector='OR'), name='indicators_value_vintage_valid'),
        ),
    ]
