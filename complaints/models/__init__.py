from complaints.models.appeals import (
    DECISION_ACTIONS,
    Appeal,
    AppealFile,
    AppealKind,
    AppealState,
    ReopenStep,
)
from complaints.models.complaints import (
    BEING_HANDLED,
    Complaint,
    ComplaintCategory,
    ComplaintFile,
    ComplaintState,
)

__all__ = [
    "BEING_HANDLED",
    "DECISION_ACTIONS",
    "Appeal",
    "AppealFile",
    "AppealKind",
    "AppealState",
    "Complaint",
    "ComplaintCategory",
    "ComplaintFile",
    "ComplaintState",
    "ReopenStep",
]
