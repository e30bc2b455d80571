"""Open a bundle as the user gives it — a folder, one file, an archive, a mail, or mails grouped from
an inbox — and yield its Sources while the unpacked files exist (a private temporary folder, removed
on exit, so applicants' files never outlive the check)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from extractor.errors import InputError
from extractor.intake.expand import Expander
from extractor.intake.folder import collect_sources, error_source
from extractor.intake.mail import Mail
from extractor.parse import sniff
from extractor.settings import Settings
from extractor.workdir import private_dir
from models import MailInfo, Source

MBOX_REFUSAL = "邮箱导出文件（.mbox）包含多个申报，请用 precheck batch 按申报逐一检查"


@dataclass
class Intake:
    sources: list[Source]
    mails: list[MailInfo] = field(default_factory=list)


def _expander(tmp: Path, settings: Settings) -> Expander:
    return Expander(tmp, settings)


@contextmanager
def open_bundle(path: Path, settings: Settings) -> Iterator[Intake]:
    """The files of the bundle at `path`; archives and mails inside it unpacked."""
    if not path.exists():
        raise InputError(f"路径不存在：{path}")
    if path.is_file() and sniff.sniff_media_type(path) == sniff.MBOX:
        raise InputError(MBOX_REFUSAL)
    with private_dir(sweep=True) as tmp:
        expander = _expander(tmp, settings)
        for source in collect_sources(path):
            if source.error is not None:
                expander.sources.append(source)
                continue
            try:
                expander.add_file(Path(source.location), source.path, sha256=source.sha256)
            except Exception as exc:  # one file never sinks the bundle: it is listed with its error
                expander.sources.append(error_source(source.path, f"文件无法读取或解包（{type(exc).__name__}）"))
        yield Intake(expander.sources, expander.mails)


@contextmanager
def open_mails(mails: list[tuple[str, Mail]], settings: Settings) -> Iterator[Intake]:
    """An application gathered from an inbox: each (path, mail) hangs its attachments under `path`."""
    with private_dir(sweep=True) as tmp:
        expander = _expander(tmp, settings)
        for path, mail in mails:
            expander.add_mail(mail, path)
        yield Intake(expander.sources, expander.mails)
