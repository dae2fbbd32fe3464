from complaints.models.complaints import (
    BEING_HANDLED,
    Complaint,
    ComplaintCategory,
    ComplaintFile,
    ComplaintState,
)

__all__ = ["BEING_HANDLED", "Complaint", "ComplaintCategory", "ComplaintFile", "ComplaintState"]
