"""Two people saving the same item at the same moment, on two database connections."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from parindex import engine
from parindex.assessments import services
from parindex.assessments.models import Item

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need a server database"
)


def test_simultaneous_saves_of_one_item_let_exactly_one_win(
    transactional_db, assessment, unit_editor, unit_head
):
    item_id = assessment.items.get(criterion__code="1.1").pk
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(user, label):
        try:
            item = Item.objects.select_related("criterion", "assessment__round").get(pk=item_id)
            barrier.wait()
            services.save_self_item(
                item=item,
                by=user,
                version=0,
                answer=engine.Choice(label),
                note="",
                no_evidence_reason="",
            )
            outcomes[label] = "saved"
        except services.Conflict as conflict:
            outcomes[label] = f"conflict:{conflict.item.self_answer['choice']}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(unit_editor, "Đúng hạn")),
        threading.Thread(target=save, args=(unit_head, "Chậm")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values())[1] == "saved"
    winner = next(label for label, outcome in outcomes.items() if outcome == "saved")
    loser = next(outcome for outcome in outcomes.values() if outcome != "saved")
    assert loser == f"conflict:{winner}"
    final = Item.objects.get(pk=item_id)
    assert final.self_answer == {"choice": winner} and final.version == 1
