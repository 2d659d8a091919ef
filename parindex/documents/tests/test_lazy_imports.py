"""Every command and web process loads the settings and the URL configuration: the heavy
document libraries must wait for the first document, not weigh on `parindex check` (issue 15)."""

from __future__ import annotations

import os
import subprocess
import sys

LAZY = ("matplotlib", "openpyxl")


def test_loading_django_and_every_url_imports_no_chart_or_workbook_library():
    script = (
        "import sys, django; django.setup(); import config.urls; "
        f"print(','.join(name for name in {LAZY!r} if name in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""


def test_the_libraries_load_on_the_first_chart_and_workbook():
    from parindex.documents import charts, xlsx

    assert xlsx.write_xlsx([xlsx.Sheet("A", [["a"], [1]])]).startswith(b"PK")
    png = charts.bar_chart_png(categories=["a"], series=[charts.Series("x", [1])])
    assert png.startswith(b"\x89PNG")
