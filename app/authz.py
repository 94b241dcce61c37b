"""Route guards: every endpoint declares who may call it, and asks the policy module nothing else."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from app.domain.policy import can
from app.extensions import db, login_manager
from app.identity import current_actor

ACCESS_ATTRIBUTE = "agora_access"
Loader = Callable[[dict[str, Any]], Any]


def public(view):
    setattr(view, ACCESS_ATTRIBUTE, "public")
    return view


def require(action: str, load: Loader | None = None, denied: Callable[[], Any] | None = None):
    """Allow the view only when policy.can(actor, action, target); load turns URL ids into objects."""

    def decorate(view):
        @wraps(view)
        def guarded(**kwargs):
            target = load(kwargs) if load else None
            if not can(current_actor(), action, target):
                return deny(denied)
            return view(**kwargs)

        setattr(guarded, ACCESS_ATTRIBUTE, action)
        return guarded

    return decorate


def deny(denied: Callable[[], Any] | None = None):
    if denied is not None:
        return denied()
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    abort(403)


def allowed(action: str, target: Any = None) -> bool:
    return can(current_actor(), action, target)


def get_or_404(model, ident: Any):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def by_id(model, param: str, name: str, target: Callable[[Any], Any] = lambda obj: obj) -> Loader:
    """A loader: pops param from the URL values, puts the object under name, returns the policy target."""

    def load(kwargs: dict[str, Any]) -> Any:
        obj = get_or_404(model, kwargs.pop(param))
        kwargs[name] = obj
        return target(obj)

    return load


def ensure(action: str, target: Any = None) -> None:
    """The same check as require(), for a target known only inside the view (403 when refused)."""
    if not allowed(action, target):
        abort(403)
