"""Users, campaigns, API tokens and web sessions: what `precheck users/campaigns add` and sign-in do."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.security import digest, hash_password, new_password, new_token, verify_password
from service.tables import ApiToken, Campaign, CampaignReviewer, Role, User, WebSession, now


class AccountError(ValueError):
    """A refused account operation; the message is for the person at the terminal (Chinese)."""


def add_campaign(db: Session, name: str, profile: str, as_of: date | None) -> Campaign:
    from extractor.judge.profiles import get_profile

    get_profile(profile)  # an unknown profile is refused with the list of known ones
    if db.scalar(select(Campaign).where(Campaign.name == name)) is not None:
        raise AccountError(f"活动已存在：{name}")
    campaign = Campaign(name=name, profile=profile, as_of=as_of.isoformat() if as_of else None)
    db.add(campaign)
    db.flush()
    return campaign


def add_user(db: Session, key: str, name: str, role: Role, campaigns: list[str],
             password: str | None) -> tuple[User, str]:
    """The new user and a new API token for it (shown once; only its keyed hash is kept)."""
    if db.scalar(select(User).where(User.name == name)) is not None:
        raise AccountError(f"用户已存在：{name}")
    user = User(name=name, role=role, password_hash=hash_password(password) if password else None)
    db.add(user)
    db.flush()
    for campaign_name in campaigns:
        campaign = db.scalar(select(Campaign).where(Campaign.name == campaign_name))
        if campaign is None:
            raise AccountError(f"没有这个活动：{campaign_name}（先用 precheck campaigns add 建立）")
        db.add(CampaignReviewer(campaign_id=campaign.id, user_id=user.id))
    return user, issue_token(db, key, user)


def ensure_admin(db: Session, key: str) -> tuple[str, str] | None:
    """On a first start (no admin yet, even if reviewers were added with the CLI before): an admin
    with a one-time password, (name, password)."""
    if db.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN)):
        return None
    name = "admin"
    while db.scalar(select(User).where(User.name == name)) is not None:
        name += "_"
    password = new_password()
    db.add(User(name=name, role=Role.ADMIN, password_hash=hash_password(password)))
    return name, password


def issue_token(db: Session, key: str, user: User) -> str:
    token = new_token()
    db.add(ApiToken(user_id=user.id, digest=digest(key, token)))
    return token


def user_for_token(db: Session, key: str, token: str) -> User | None:
    row = db.scalar(select(ApiToken).where(ApiToken.digest == digest(key, token), ApiToken.revoked.is_(False)))
    return row.user if row is not None and row.user.active else None


def sign_in(db: Session, key: str, name: str, password: str, hours: int) -> tuple[str, str] | None:
    """A new session for a right name and password: (session id for the cookie, CSRF token)."""
    user = db.scalar(select(User).where(User.name == name, User.active.is_(True)))
    if user is None or not verify_password(user.password_hash, password):
        return None
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    db.add(WebSession(digest=digest(key, sid), user_id=user.id, csrf=csrf, expires=now() + timedelta(hours=hours)))
    return sid, csrf


def session_for(db: Session, key: str, sid: str) -> WebSession | None:
    row = db.get(WebSession, digest(key, sid))
    if row is None:
        return None
    return row if row.expires > now() and row.user.active else None


def sign_out(db: Session, key: str, sid: str) -> None:
    row = db.get(WebSession, digest(key, sid))
    if row is not None:
        db.delete(row)


def reviews(db: Session, user: User) -> list[int]:
    """The campaigns the user reviews."""
    return list(db.scalars(select(CampaignReviewer.campaign_id).where(CampaignReviewer.user_id == user.id)))
