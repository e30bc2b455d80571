"""Generate the gold corpus: `python -m gold.generator [--out gold/bundles] [--only PREFIX]`.

Deterministic: the same code writes the same documents, annotations and archive members."""

import argparse
import base64
import io
import json
import os
import random
import shutil
import tempfile
import zipfile
from email.header import Header
from email.message import EmailMessage, Message
from email.utils import format_datetime, formataddr
from pathlib import Path

from gold.generator.bundles import all_bundles
from gold.generator.render import FIXED_TIME, convert_all, photo, save_scan_pdf, scanned, stable_pdf, write_docx
from gold.generator.spec import BundleSpec, DocSpec

ROOT = Path(__file__).resolve().parents[1]


SUFFIX = {"zip": ".zip", "7z": ".7z", "eml": ".eml", "rar4": ".rar", "rar5": ".rar", "msg": ".msg", "nested": ".zip",
          "forwarded": ".eml"}
NESTED = "附件/证照.zip"  # the nested delivery puts the licence into this inner archive


def _member_path(bundle: BundleSpec, filename: str) -> str:
    suffix = SUFFIX.get(bundle.delivery)
    if bundle.delivery == "nested" and filename.startswith("营业执照"):
        return f"{bundle.name}{suffix}!/{NESTED}!/{filename}"
    if bundle.delivery == "forwarded":  # the application mail, attached whole to a forwarding mail
        return f"{bundle.name}{suffix}!/{bundle.name}.eml!/{filename}"
    return f"{bundle.name}{suffix}!/{filename}" if suffix else filename


def render_bundle(bundle: BundleSpec, staging: Path, pdf_dir: Path, out: dict[str, bytes]) -> list[dict]:
    """Files of the bundle into `out` (name → bytes); the gold documents."""
    gold_docs = []
    for spec in bundle.documents:
        rng = random.Random(f"{bundle.name}/{spec.filename}")
        docx_path = staging / f"{_key(bundle, spec)}.docx"
        seal_page = None
        if spec.delivery == "docx":
            out[spec.filename] = docx_path.read_bytes()
        elif spec.delivery == "doc":
            out[spec.filename] = (pdf_dir / f"{_key(bundle, spec)}.doc").read_bytes()
        elif spec.delivery == "pdf":
            out[spec.filename] = stable_pdf((pdf_dir / f"{_key(bundle, spec)}.pdf").read_bytes())
        else:
            pdf = pdf_dir / f"{_key(bundle, spec)}.pdf"
            if spec.delivery in ("png", "photo") and spec.seal is not None:
                spec.seal.page = 1
            pages, seal_page = scanned(spec, pdf, rng)
            if spec.delivery == "scan":
                buf = io.BytesIO()
                save_scan_pdf(pages, buf, spec.scan.dpi, spec.scan.jpeg_quality)  # type: ignore[arg-type]
                out[spec.filename] = buf.getvalue()
            else:
                image = photo(pages[0], rng) if spec.delivery == "photo" else pages[0]
                buf = io.BytesIO()
                if spec.delivery == "photo":
                    image.save(buf, "JPEG", quality=spec.scan.jpeg_quality)
                else:  # a scanner's PNG export: a small palette keeps it a realistic size
                    image.quantize(colors=24).save(buf, "PNG", optimize=True)
                out[spec.filename] = buf.getvalue()
                seal_page = 1 if seal_page == 1 else None
        seals = []
        if seal_page is not None and spec.seal is not None:
            seals.append({"page": seal_page, "text": spec.seal.name if spec.gold_seal_text else None})
        gold_docs.append({"path": _member_path(bundle, spec.filename), "doc_type": spec.doc_type,
                          "fields": spec.fields, "seals": seals, "family": spec.family})
    for name, data in bundle.extra_files.items():
        out[name] = data
        gold_docs.append({"path": _member_path(bundle, name), "doc_type": "other", "fields": {}, "seals": []})
    return gold_docs


def _key(bundle: BundleSpec, spec: DocSpec) -> str:
    return f"{bundle.name}__{spec.filename}".replace("/", "_").replace(" ", "_").rsplit(".", 1)[0]


def write_zip_gbk(files: dict[str, bytes], target: Path) -> None:
    """Member names in GBK without the UTF-8 flag, as Chinese Windows archivers write them."""
    placeholders = {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(sorted(files.items())):
            raw = name.encode("gbk")
            placeholder = f"{i:04d}".ljust(len(raw), "_")[: len(raw)]
            assert len(placeholder) == len(raw)
            placeholders[placeholder.encode()] = raw
            info = zipfile.ZipInfo(placeholder, date_time=(2024, 1, 1, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    blob = buf.getvalue()
    for placeholder, raw in placeholders.items():
        blob = blob.replace(placeholder, raw)
    target.write_bytes(blob)


def write_nested(files: dict[str, bytes], target: Path) -> None:
    """A zip holding another zip (the licence, under 附件/), both with GBK names."""
    inner = {n: d for n, d in files.items() if n.startswith("营业执照")}
    with tempfile.TemporaryDirectory() as tmp:
        inner_zip = Path(tmp) / "inner.zip"
        write_zip_gbk(inner, inner_zip)
        outer = {n: d for n, d in files.items() if n not in inner}
        outer[NESTED] = inner_zip.read_bytes()
        write_zip_gbk(outer, target)


def write_msg_bundle(bundle: BundleSpec, files: dict[str, bytes], target: Path) -> None:
    from gold.generator.msg import MsgAttachment, msg_bytes

    attachments = [MsgAttachment(name, data) for name, data in sorted(files.items())]
    target.write_bytes(msg_bytes(bundle.name, "申报联系人", "shenbao@example.com", FIXED_TIME, f"{bundle.name}，请查收。",
                                 attachments))


def iso_2022_cn(text: str) -> bytes:
    """ISO-2022-CN (RFC 1922) for GB 2312 text: ESC $ ) A designates GB 2312, SO/SI switch to it and back."""
    out, shifted = bytearray(b"\x1b$)A"), False
    for ch in text:
        if ch.isascii():
            if shifted:
                out.append(0x0F)
                shifted = False
            out += ch.encode()
        else:
            if not shifted:
                out.append(0x0E)
                shifted = True
            out += bytes(b & 0x7F for b in ch.encode("gb2312"))
    if shifted:
        out.append(0x0F)
    return bytes(out)


def write_forwarded(bundle: BundleSpec, files: dict[str, bytes], target: Path) -> None:
    """A reviewer forwarding the application mail (attached as message/rfc822). In the original, the
    first attachment's name is given as `filename*=iso-2022-cn''…` (a charset Python has no codec for)
    with the gb2312 RFC 2047 `name=` beside it, as some older clients write it."""
    from email.mime.message import MIMEMessage
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    from urllib.parse import quote

    inner = build_message(bundle.name, "申报联系人 <shenbao@example.com>", files, True, 2)
    first = next(p for p in inner.walk() if p.get_content_maintype() == "application")
    name = first.get_filename()
    decoded = sorted(files)[0]
    del first["Content-Disposition"]
    first.add_header("Content-Disposition", f"attachment; filename*=iso-2022-cn''{quote(iso_2022_cn(decoded))}")
    first.set_param("name", name)
    outer = MIMEMultipart(boundary="==precheck-gold-forward==")
    outer.attach(MIMEText("请审阅附件中的申报邮件。", "plain", "utf-8"))
    attached = MIMEMessage(inner)
    attached.add_header("Content-Disposition", "attachment")
    outer.attach(attached)
    outer["Subject"] = Header(f"转发：{bundle.name}", "utf-8")
    outer["From"] = "形式审查组 <review@example.org>"
    outer["To"] = "zlbg@example.org"
    outer["Date"] = format_datetime(FIXED_TIME)
    outer["Message-ID"] = "<gold-forward@precheck.gold>"
    target.write_bytes(mail_bytes(outer))


def write_7z(files: dict[str, bytes], target: Path) -> None:
    import py7zr

    with tempfile.TemporaryDirectory() as tmp:
        stamp = FIXED_TIME.timestamp()
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
            os.utime(Path(tmp) / name, (stamp, stamp))
        with py7zr.SevenZipFile(target, "w") as archive:
            for name in sorted(files):
                archive.write(Path(tmp) / name, name)


def build_message(subject: str, sender: str, files: dict[str, bytes], gb2312: bool, serial: int) -> Message:
    """A mail with attachments. `gb2312`: names written as many Chinese clients do, an RFC 2047
    gb2312 word inside the quoted `filename="…"` (not standard, but common); otherwise RFC 2231."""
    from email.mime.application import MIMEApplication
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    if not gb2312:
        msg = EmailMessage()
        msg.set_content(f"{subject}，请查收。")
        for name, data in sorted(files.items()):
            msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
        msg.set_boundary(f"==precheck-gold-{serial:04d}==")
    else:
        msg = MIMEMultipart(boundary=f"==precheck-gold-{serial:04d}==")
        msg.attach(MIMEText(f"{subject}，请查收。", "plain", "gb2312"))
        for name, data in sorted(files.items()):
            part = MIMEApplication(data, "octet-stream")
            encoded = "=?gb2312?B?" + base64.b64encode(name.encode("gbk")).decode() + "?="
            part.add_header("Content-Disposition", f'attachment; filename="{encoded}"')
            msg.attach(part)
    if gb2312:  # compat32 message: Header objects are encoded as gb2312 words when written
        msg["Subject"] = Header(subject, "gb2312")
        display, address = sender.split(" <")
        msg["From"] = formataddr((Header(display, "gb2312").encode(), address.rstrip(">")))
    else:
        msg["Subject"] = subject
        msg["From"] = sender
    msg["To"] = "zlbg@example.org"
    msg["Date"] = format_datetime(FIXED_TIME.replace(minute=serial % 60))
    msg["Message-ID"] = f"<gold-{serial:04d}@precheck.gold>"
    return msg


def mail_bytes(msg: Message) -> bytes:
    # Python labels gb2312 words with its codec name; mail programs write "gb2312"
    return msg.as_bytes().replace(b"=?eucgb2312_cn?", b"=?gb2312?")


def write_eml(bundle: BundleSpec, files: dict[str, bytes], target: Path) -> None:
    sender = "申报联系人 <shenbao@example.com>"
    target.write_bytes(mail_bytes(build_message(bundle.name, sender, files, "mail-gb2312" in bundle.tags, 1)))


def write_inbox(mails: list[tuple[str, str, dict[str, bytes]]], target: Path) -> None:
    """An mbox export as a mail client writes it, with what it must yield beside it."""
    import mailbox

    if target.exists():
        target.unlink()
    box = mailbox.mbox(str(target))
    expected: dict[str, dict[str, object]] = {}
    for serial, (subject, sender, files) in enumerate(mails, start=1):
        box.add(mail_bytes(build_message(subject, sender, files, serial % 2 == 0, serial)))
        application = subject.removesuffix("补充材料").removesuffix("更正")
        entry = expected.setdefault(application, {"sender": sender, "mails": [], "attachments": []})
        entry["mails"].append(subject)  # type: ignore[union-attr]
        entry["attachments"].extend(sorted(files))  # type: ignore[union-attr]
    box.flush()
    box.close()
    manifest = {"applications": [{"application": k, **v} for k, v in expected.items()]}
    target.with_name(target.name + ".expected.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "bundles")
    parser.add_argument("--only", default="", help="only bundles whose name starts with this")
    parser.add_argument("--tag", default="", help="only bundles carrying this tag (e.g. family)")
    args = parser.parse_args()
    bundles = [b for b in all_bundles() if b.name.startswith(args.only) and (not args.tag or args.tag in b.tags)]
    if args.out.exists() and not args.only and not args.tag:
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gold-") as tmp_name:
        tmp = Path(tmp_name)
        staging, pdf_dir = tmp / "docx", tmp / "pdf"
        staging.mkdir()
        to_pdf, to_doc = [], []
        for bundle in bundles:
            for spec in bundle.documents:
                path = staging / f"{_key(bundle, spec)}.docx"
                write_docx(spec, path)
                if spec.delivery == "doc":
                    to_doc.append(path)
                elif spec.delivery != "docx":
                    to_pdf.append(path)
        convert_all(to_pdf, "pdf", pdf_dir)
        convert_all(to_doc, "doc", pdf_dir)
        inbox: list[tuple[str, str, dict[str, bytes]]] = []
        for bundle in bundles:
            files: dict[str, bytes] = {}
            gold_docs = render_bundle(bundle, staging, pdf_dir, files)
            target = args.out / f"{bundle.name}{SUFFIX.get(bundle.delivery, '')}"
            if bundle.delivery == "folder":
                target.mkdir(parents=True, exist_ok=True)
                for name, data in files.items():
                    (target / name).write_bytes(data)
            elif bundle.delivery == "zip":
                write_zip_gbk(files, target)
            elif bundle.delivery == "7z":
                write_7z(files, target)
            elif bundle.delivery in ("rar4", "rar5"):
                from gold.generator.rar import RarMember, write_rar

                write_rar(target, [RarMember(n, files[n]) for n in sorted(files)], 4 if bundle.delivery == "rar4" else 5)
            elif bundle.delivery == "msg":
                write_msg_bundle(bundle, files, target)
            elif bundle.delivery == "nested":
                write_nested(files, target)
            elif bundle.delivery == "forwarded":
                write_forwarded(bundle, files, target)
            else:
                write_eml(bundle, files, target)
            if bundle.profile == "caq-benchmark-2021" and len(inbox) < 6:
                sender = f"{bundle.name[10:14]}申报联系人 <apply{len(inbox)}@example.com>"
                inbox.append((bundle.name, sender, files))
                if len(inbox) == 2:  # a follow-up mail that belongs to the same application
                    inbox.append((f"{bundle.name}补充材料", sender, {"补充说明.docx": files["申报材料.docx"]}))
            gold = {
                "schema": "precheck.gold/1", "profile": bundle.profile, "as_of": bundle.as_of,
                "documents": gold_docs,
                "findings": [{"rule": r, "documents": [_member_path(bundle, p) for p in docs]}
                             for r, docs in bundle.findings],
                "verdict": bundle.verdict, "tags": [*bundle.tags, bundle.delivery],
                **({"notes": bundle.notes} if bundle.notes else {}),
            }
            (args.out / f"{target.name}.gold.json").write_text(
                json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(target.name)
        if inbox and not args.only and not args.tag:
            (ROOT / "inbox").mkdir(exist_ok=True)
            write_inbox(inbox, ROOT / "inbox" / "质量标杆申报邮箱导出.mbox")


if __name__ == "__main__":
    main()
