"""The application workflow as Graphviz dot, with the English state names: `make docs` draws
docs/application-workflow.svg from it.

    .venv/bin/python -m docs.workflow > workflow.dot

The README is in English, so is its picture, whatever language the settings make the default.
"""

import io
import os
import sys


def workflow_dot() -> str:
    from django.core.management import call_command
    from django.utils import translation

    dot = io.StringIO()
    with translation.override("en"):
        call_command("graph_transitions", "certification.Application.state", stdout=dot)
    return dot.getvalue()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    sys.stdout.write(workflow_dot())
