"""file_unreadable: a file that could not be opened is listed, with its error, for the reviewer."""

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
