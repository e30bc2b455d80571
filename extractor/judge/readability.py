"""file_unreadable: a file that could not be opened is listed, with its error, for the reviewer.
internal_error: a file precheck failed on through a fault of its own is listed apart: it was not
checked, and nothing is known to be wrong with it."""

from models import Finding, ParsedDocument, Severity


def unreadable_findings(documents: list[ParsedDocument]) -> list[Finding]:
    return [
        Finding(
            rule="file_unreadable",
            severity=Severity.WARNING,
            message=f"文件“{doc.path}”无法读取：{'；'.join(doc.errors)}",
            documents=[doc.path],
            actual="；".join(doc.errors),
        )
        for doc in documents
        if doc.errors
    ]


def internal_error_findings(documents: list[ParsedDocument]) -> list[Finding]:
    return [
        Finding(
            rule="internal_error",
            severity=Severity.WARNING,
            message=f"precheck 处理“{doc.path}”时出现程序内部错误，此文件未经检查，请人工审阅"
                    f"（不是申报文件本身的问题；{doc.internal_error}）",
            documents=[doc.path],
            actual=doc.internal_error,
        )
        for doc in documents
        if doc.internal_error
    ]
