# Items keep their references without foreign-key constraints and without the indexes on
# criterion_id and area_id (decision 36): PostgreSQL checked each new item's references one by one
# when a round was created, most of a national round's creation.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0004_items_fewer_indexes'),
        ('indexsets', '0003_criterion_input'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='item',
            name='area',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indexsets.criterion', verbose_name='area'),
        ),
        migrations.AlterField(
            model_name='item',
            name='assessment',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='items', to='assessments.assessment'),
        ),
        migrations.AlterField(
            model_name='item',
            name='criterion',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indexsets.criterion', verbose_name='criterion'),
        ),
        migrations.AlterField(
            model_name='item',
            name='self_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
    ]
