"""The life of a label as Graphviz dot, with the English state names: `make docs` draws
docs/label-life.svg from it. Three state machines: the label's stored status, its surveillance
audits and the changes the enterprise notifies. What the public reads is derived from the
stored status and the dates (certification/models/public_status.py); the README says how.

    .venv/bin/python -m docs.label_life > label-life.dot
"""

import io
import os
import sys

MACHINES = ("certification.Label.status", "audits.Surveillance.state", "certification.Change.state")


def label_life_dot() -> str:
    from django.core.management import call_command
    from django.utils import translation

    dot = io.StringIO()
    with translation.override("en"):
        call_command("graph_transitions", *MACHINES, stdout=dot)
    return dot.getvalue()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    sys.stdout.write(label_life_dot())
