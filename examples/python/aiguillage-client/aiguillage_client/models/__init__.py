"""Contains all the data models used in inputs/outputs"""

from .accepted import Accepted
from .apcv_session import ApcvSession
from .apcv_session_request import ApcvSessionRequest
from .apcv_session_source import ApcvSessionSource
from .beneficiary import Beneficiary
from .birth_place import BirthPlace
from .birth_place_kind import BirthPlaceKind
from .birth_places import BirthPlaces
from .carte_vitale import CarteVitale
from .certificate_expiry import CertificateExpiry
from .circuit_breaker import CircuitBreaker
from .circuit_breaker_state import CircuitBreakerState
from .console_login_request import ConsoleLoginRequest
from .console_logout import ConsoleLogout
from .console_session import ConsoleSession
from .delivery_error import DeliveryError
from .delivery_result import DeliveryResult
from .dmp_author import DmpAuthor
from .dmp_authorization import DmpAuthorization
from .dmp_authorization_action import DmpAuthorizationAction
from .dmp_authorization_change import DmpAuthorizationChange
from .dmp_authorization_state import DmpAuthorizationState
from .dmp_batch import DmpBatch
from .dmp_batch_counts import DmpBatchCounts
from .dmp_batch_failure import DmpBatchFailure
from .dmp_batch_failure_state import DmpBatchFailureState
from .dmp_cda_document import DmpCdaDocument
from .dmp_code import DmpCode
from .dmp_document_action import DmpDocumentAction
from .dmp_document_availability import DmpDocumentAvailability
from .dmp_document_entry import DmpDocumentEntry
from .dmp_document_list import DmpDocumentList
from .dmp_document_send import DmpDocumentSend
from .dmp_document_send_confidentiality import DmpDocumentSendConfidentiality
from .dmp_document_status import DmpDocumentStatus
from .dmp_document_status_change import DmpDocumentStatusChange
from .dmp_institution import DmpInstitution
from .dmp_patient_status import DmpPatientStatus
from .dmp_patient_status_raw import DmpPatientStatusRaw
from .dmp_pdf_document import DmpPdfDocument
from .dmp_vsm_document import DmpVsmDocument
from .document_patient import DocumentPatient
from .document_trust import DocumentTrust
from .exoneration import Exoneration
from .exoneration_code import ExonerationCode
from .export_journal_format import ExportJournalFormat
from .field_error import FieldError
from .fse_act import FseAct
from .fse_apcv_beneficiary import FseApcvBeneficiary
from .fse_biller import FseBiller
from .fse_care_pathway import FseCarePathway
from .fse_exoneration import FseExoneration
from .fse_insurance_nature import FseInsuranceNature
from .fse_invoice import FseInvoice
from .fse_invoice_page import FseInvoicePage
from .fse_invoice_request import FseInvoiceRequest
from .fse_invoice_source import FseInvoiceSource
from .fse_invoice_state import FseInvoiceState
from .fse_line import FseLine
from .fse_lot import FseLot
from .fse_lot_page import FseLotPage
from .fse_lot_state import FseLotState
from .fse_lots_accepted import FseLotsAccepted
from .fse_lots_outcome import FseLotsOutcome
from .fse_lots_request import FseLotsRequest
from .fse_manual_beneficiary import FseManualBeneficiary
from .fse_message import FseMessage
from .fse_message_severity import FseMessageSeverity
from .fse_return import FseReturn
from .fse_return_kind import FseReturnKind
from .fse_return_part import FseReturnPart
from .fse_securing import FseSecuring
from .fse_securing_mode import FseSecuringMode
from .fse_third_party_payment import FseThirdPartyPayment
from .fse_vitale_beneficiary import FseVitaleBeneficiary
from .get_dmp_document_render import GetDmpDocumentRender
from .gs_1_element import Gs1Element
from .gs_1_parse_request import Gs1ParseRequest
from .gs_1_scan import Gs1Scan
from .health import Health
from .health_outbox import HealthOutbox
from .health_plugins import HealthPlugins
from .health_state import HealthState
from .health_status import HealthStatus
from .identity_document_type import IdentityDocumentType
from .identity_proof import IdentityProof
from .identity_proof_parent_document import IdentityProofParentDocument
from .identity_status import IdentityStatus
from .identity_status_insi import IdentityStatusInsi
from .identity_status_insi_outcome import IdentityStatusInsiOutcome
from .identity_status_missing import IdentityStatusMissing
from .identity_status_missing_code import IdentityStatusMissingCode
from .identity_status_patient import IdentityStatusPatient
from .identity_status_request import IdentityStatusRequest
from .identity_status_request_attributes_item import IdentityStatusRequestAttributesItem
from .identity_status_result import IdentityStatusResult
from .identity_status_result_document_trust_type_1 import IdentityStatusResultDocumentTrustType1
from .identity_status_result_document_trust_type_2_type_1 import IdentityStatusResultDocumentTrustType2Type1
from .identity_status_result_document_trust_type_3_type_1 import IdentityStatusResultDocumentTrustType3Type1
from .identity_status_result_rule import IdentityStatusResultRule
from .ins import Ins
from .ins_history import InsHistory
from .ins_history_call import InsHistoryCall
from .ins_history_call_type import InsHistoryCallType
from .ins_oid import InsOid
from .ins_search_by_apcv_session import InsSearchByApcvSession
from .ins_search_by_traits import InsSearchByTraits
from .ins_search_by_vitale import InsSearchByVitale
from .ins_search_result import InsSearchResult
from .ins_search_result_result import InsSearchResultResult
from .ins_trait_difference import InsTraitDifference
from .ins_trait_difference_trait import InsTraitDifferenceTrait
from .ins_traits import InsTraits
from .ins_verify import InsVerify
from .ins_verify_result import InsVerifyResult
from .insi_call import InsiCall
from .insi_call_operation import InsiCallOperation
from .insi_identity import InsiIdentity
from .insi_ins import InsiIns
from .insi_ins_kind import InsiInsKind
from .insi_journal_reference import InsiJournalReference
from .insi_outcome import InsiOutcome
from .insi_outcome_outcome import InsiOutcomeOutcome
from .insi_report import InsiReport
from .insi_traits import InsiTraits
from .journal_entry import JournalEntry
from .journal_entry_after import JournalEntryAfter
from .journal_entry_before import JournalEntryBefore
from .journal_entry_event import JournalEntryEvent
from .journal_page import JournalPage
from .journal_patient import JournalPatient
from .journal_practitioner import JournalPractitioner
from .journal_receipt import JournalReceipt
from .journal_row import JournalRow
from .journal_verification import JournalVerification
from .journal_verification_status import JournalVerificationStatus
from .journal_walk import JournalWalk
from .mssante_ack_request import MssanteAckRequest
from .mssante_ack_request_error import MssanteAckRequestError
from .mssante_body import MssanteBody
from .mssante_cda_document import MssanteCdaDocument
from .mssante_coded import MssanteCoded
from .mssante_directory_answer import MssanteDirectoryAnswer
from .mssante_directory_entry import MssanteDirectoryEntry
from .mssante_directory_entry_names import MssanteDirectoryEntryNames
from .mssante_inbox_message import MssanteInboxMessage
from .mssante_inbox_message_detail import MssanteInboxMessageDetail
from .mssante_inbox_message_detail_attachments_item import MssanteInboxMessageDetailAttachmentsItem
from .mssante_inbox_message_detail_body import MssanteInboxMessageDetailBody
from .mssante_inbox_page import MssanteInboxPage
from .mssante_message_request import MssanteMessageRequest
from .mssante_pdf_document import MssantePdfDocument
from .mssante_read_answer import MssanteReadAnswer
from .mssante_receipt import MssanteReceipt
from .mssante_receipt_state import MssanteReceiptState
from .mssante_received_document import MssanteReceivedDocument
from .mssante_received_patient import MssanteReceivedPatient
from .mssante_recipient_receipt import MssanteRecipientReceipt
from .mssante_sent_message import MssanteSentMessage
from .mssante_sent_message_last_error_type_0 import MssanteSentMessageLastErrorType0
from .mssante_structure import MssanteStructure
from .open_api_document import OpenApiDocument
from .open_api_document_components import OpenApiDocumentComponents
from .open_api_document_info import OpenApiDocumentInfo
from .open_api_document_paths import OpenApiDocumentPaths
from .open_api_document_security_item import OpenApiDocumentSecurityItem
from .open_api_document_servers_item import OpenApiDocumentServersItem
from .open_api_document_tags_item import OpenApiDocumentTagsItem
from .outbox_attachment import OutboxAttachment
from .outbox_counts import OutboxCounts
from .outbox_failing_event import OutboxFailingEvent
from .outbox_failing_event_error import OutboxFailingEventError
from .outbox_health import OutboxHealth
from .outbox_history_entry import OutboxHistoryEntry
from .outbox_history_entry_action import OutboxHistoryEntryAction
from .outbox_history_entry_outcome import OutboxHistoryEntryOutcome
from .outbox_item import OutboxItem
from .outbox_item_detail import OutboxItemDetail
from .outbox_item_event import OutboxItemEvent
from .outbox_list import OutboxList
from .outbox_recovered_event import OutboxRecoveredEvent
from .outbox_state import OutboxState
from .partial_traits import PartialTraits
from .patient import Patient
from .plugin_event import PluginEvent
from .plugin_health import PluginHealth
from .plugin_health_event import PluginHealthEvent
from .plugin_health_extra import PluginHealthExtra
from .plugin_health_status import PluginHealthStatus
from .plugin_list import PluginList
from .plugin_outcome import PluginOutcome
from .plugin_status import PluginStatus
from .plugin_switch import PluginSwitch
from .plugin_switched_event import PluginSwitchedEvent
from .practitioner import Practitioner
from .practitioner_authentication_mode import PractitionerAuthenticationMode
from .practitioner_id_type import PractitionerIdType
from .problem import Problem
from .problem_type import ProblemType
from .rights_period import RightsPeriod
from .send_outcome import SendOutcome
from .sex import Sex
from .traits import Traits
from .vsm import Vsm
from .vsm_batch import VsmBatch
from .vsm_batch_accepted import VsmBatchAccepted
from .vsm_batch_item import VsmBatchItem
from .vsm_batch_outcome import VsmBatchOutcome
from .vsm_batch_refusal import VsmBatchRefusal
from .vsm_item import VsmItem
from .vsm_send import VsmSend
from .vsm_status import VsmStatus
from .vsm_status_status import VsmStatusStatus

__all__ = (
    "Accepted",
    "ApcvSession",
    "ApcvSessionRequest",
    "ApcvSessionSource",
    "Beneficiary",
    "BirthPlace",
    "BirthPlaceKind",
    "BirthPlaces",
    "CarteVitale",
    "CertificateExpiry",
    "CircuitBreaker",
    "CircuitBreakerState",
    "ConsoleLoginRequest",
    "ConsoleLogout",
    "ConsoleSession",
    "DeliveryError",
    "DeliveryResult",
    "DmpAuthor",
    "DmpAuthorization",
    "DmpAuthorizationAction",
    "DmpAuthorizationChange",
    "DmpAuthorizationState",
    "DmpBatch",
    "DmpBatchCounts",
    "DmpBatchFailure",
    "DmpBatchFailureState",
    "DmpCdaDocument",
    "DmpCode",
    "DmpDocumentAction",
    "DmpDocumentAvailability",
    "DmpDocumentEntry",
    "DmpDocumentList",
    "DmpDocumentSend",
    "DmpDocumentSendConfidentiality",
    "DmpDocumentStatus",
    "DmpDocumentStatusChange",
    "DmpInstitution",
    "DmpPatientStatus",
    "DmpPatientStatusRaw",
    "DmpPdfDocument",
    "DmpVsmDocument",
    "DocumentPatient",
    "DocumentTrust",
    "Exoneration",
    "ExonerationCode",
    "ExportJournalFormat",
    "FieldError",
    "FseAct",
    "FseApcvBeneficiary",
    "FseBiller",
    "FseCarePathway",
    "FseExoneration",
    "FseInsuranceNature",
    "FseInvoice",
    "FseInvoicePage",
    "FseInvoiceRequest",
    "FseInvoiceSource",
    "FseInvoiceState",
    "FseLine",
    "FseLot",
    "FseLotPage",
    "FseLotsAccepted",
    "FseLotsOutcome",
    "FseLotsRequest",
    "FseLotState",
    "FseManualBeneficiary",
    "FseMessage",
    "FseMessageSeverity",
    "FseReturn",
    "FseReturnKind",
    "FseReturnPart",
    "FseSecuring",
    "FseSecuringMode",
    "FseThirdPartyPayment",
    "FseVitaleBeneficiary",
    "GetDmpDocumentRender",
    "Gs1Element",
    "Gs1ParseRequest",
    "Gs1Scan",
    "Health",
    "HealthOutbox",
    "HealthPlugins",
    "HealthState",
    "HealthStatus",
    "IdentityDocumentType",
    "IdentityProof",
    "IdentityProofParentDocument",
    "IdentityStatus",
    "IdentityStatusInsi",
    "IdentityStatusInsiOutcome",
    "IdentityStatusMissing",
    "IdentityStatusMissingCode",
    "IdentityStatusPatient",
    "IdentityStatusRequest",
    "IdentityStatusRequestAttributesItem",
    "IdentityStatusResult",
    "IdentityStatusResultDocumentTrustType1",
    "IdentityStatusResultDocumentTrustType2Type1",
    "IdentityStatusResultDocumentTrustType3Type1",
    "IdentityStatusResultRule",
    "Ins",
    "InsHistory",
    "InsHistoryCall",
    "InsHistoryCallType",
    "InsiCall",
    "InsiCallOperation",
    "InsiIdentity",
    "InsiIns",
    "InsiInsKind",
    "InsiJournalReference",
    "InsiOutcome",
    "InsiOutcomeOutcome",
    "InsiReport",
    "InsiTraits",
    "InsOid",
    "InsSearchByApcvSession",
    "InsSearchByTraits",
    "InsSearchByVitale",
    "InsSearchResult",
    "InsSearchResultResult",
    "InsTraitDifference",
    "InsTraitDifferenceTrait",
    "InsTraits",
    "InsVerify",
    "InsVerifyResult",
    "JournalEntry",
    "JournalEntryAfter",
    "JournalEntryBefore",
    "JournalEntryEvent",
    "JournalPage",
    "JournalPatient",
    "JournalPractitioner",
    "JournalReceipt",
    "JournalRow",
    "JournalVerification",
    "JournalVerificationStatus",
    "JournalWalk",
    "MssanteAckRequest",
    "MssanteAckRequestError",
    "MssanteBody",
    "MssanteCdaDocument",
    "MssanteCoded",
    "MssanteDirectoryAnswer",
    "MssanteDirectoryEntry",
    "MssanteDirectoryEntryNames",
    "MssanteInboxMessage",
    "MssanteInboxMessageDetail",
    "MssanteInboxMessageDetailAttachmentsItem",
    "MssanteInboxMessageDetailBody",
    "MssanteInboxPage",
    "MssanteMessageRequest",
    "MssantePdfDocument",
    "MssanteReadAnswer",
    "MssanteReceipt",
    "MssanteReceiptState",
    "MssanteReceivedDocument",
    "MssanteReceivedPatient",
    "MssanteRecipientReceipt",
    "MssanteSentMessage",
    "MssanteSentMessageLastErrorType0",
    "MssanteStructure",
    "OpenApiDocument",
    "OpenApiDocumentComponents",
    "OpenApiDocumentInfo",
    "OpenApiDocumentPaths",
    "OpenApiDocumentSecurityItem",
    "OpenApiDocumentServersItem",
    "OpenApiDocumentTagsItem",
    "OutboxAttachment",
    "OutboxCounts",
    "OutboxFailingEvent",
    "OutboxFailingEventError",
    "OutboxHealth",
    "OutboxHistoryEntry",
    "OutboxHistoryEntryAction",
    "OutboxHistoryEntryOutcome",
    "OutboxItem",
    "OutboxItemDetail",
    "OutboxItemEvent",
    "OutboxList",
    "OutboxRecoveredEvent",
    "OutboxState",
    "PartialTraits",
    "Patient",
    "PluginEvent",
    "PluginHealth",
    "PluginHealthEvent",
    "PluginHealthExtra",
    "PluginHealthStatus",
    "PluginList",
    "PluginOutcome",
    "PluginStatus",
    "PluginSwitch",
    "PluginSwitchedEvent",
    "Practitioner",
    "PractitionerAuthenticationMode",
    "PractitionerIdType",
    "Problem",
    "ProblemType",
    "RightsPeriod",
    "SendOutcome",
    "Sex",
    "Traits",
    "Vsm",
    "VsmBatch",
    "VsmBatchAccepted",
    "VsmBatchItem",
    "VsmBatchOutcome",
    "VsmBatchRefusal",
    "VsmItem",
    "VsmSend",
    "VsmStatus",
    "VsmStatusStatus",
)
