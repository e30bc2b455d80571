"""Default severities of the contract's rules (shared/contracts/README.md)."""

SEVERITY = {
    "file_unreadable": "warning",
    "missing_document": "error",
    "field_unreadable": "warning",
    "credit_code_invalid": "error",
    "credit_code_mismatch": "error",
    "company_name_mismatch": "error",
    "certificate_expired": "error",
    "certificate_standard_mismatch": "error",
    "test_report_failed": "error",
    "test_report_not_cma": "error",
    "test_report_grades_incomplete": "error",
    "satisfaction_below_threshold": "error",
    "seal_missing": "error",
    "seal_name_mismatch": "error",
    "recommender_not_listed": "error",
    "date_out_of_window": "error",
    "team_name_invalid": "error",
    "member_limit_exceeded": "error",
    "text_too_short": "warning",
}
