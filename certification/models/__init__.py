from certification.models.accounts import ApiToken, AttemptCounter, Role, User
from certification.models.applications import (
    FINAL_STATES,
    OPEN_STATES,
    Application,
    ApplicationDocument,
    ApplicationState,
)
from certification.models.catalogue import Product, ProductCategory, ProductKind
from certification.models.changes import Change, ChangeKind, ChangeState
from certification.models.derived import DerivedChangeScan, DerivedStatusChange
from certification.models.enterprises import AuditorQualification, ConflictOfInterest, Enterprise, RecognitionType
from certification.models.files import DocumentType, StoredFile
from certification.models.history import HistoryChainHead, HistoryEvent, HistoryIsAppendOnly
from certification.models.labels import (
    CertificateRecord,
    CertificateTranslation,
    KeyStatus,
    Label,
    LabelStatus,
    PublicStatus,
    SigningKey,
    StatusReason,
)
from certification.models.schemes import Criterion, CriterionKind, Scheme, SchemeStatus
from certification.models.tallies import DecisionTally, LabelTally

__all__ = [
    "FINAL_STATES",
    "OPEN_STATES",
    "ApiToken",
    "Application",
    "ApplicationDocument",
    "ApplicationState",
    "AttemptCounter",
    "AuditorQualification",
    "CertificateRecord",
    "CertificateTranslation",
    "Change",
    "ChangeKind",
    "ChangeState",
    "ConflictOfInterest",
    "Criterion",
    "CriterionKind",
    "DecisionTally",
    "DerivedChangeScan",
    "DerivedStatusChange",
    "DocumentType",
    "Enterprise",
    "HistoryChainHead",
    "HistoryEvent",
    "HistoryIsAppendOnly",
    "KeyStatus",
    "Label",
    "LabelStatus",
    "LabelTally",
    "Product",
    "ProductCategory",
    "ProductKind",
    "PublicStatus",
    "RecognitionType",
    "Role",
    "Scheme",
    "SchemeStatus",
    "SigningKey",
    "StatusReason",
    "StoredFile",
    "User",
]
