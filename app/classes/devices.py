"""Sign-in cards and paired tablets of a class, managed by its educator."""

import segno
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.authz import by_id, require
from app.classes.roster import load_pupil
from app.classes.routes import blueprint, load_cooperative
from app.downloads import no_store
from app.extensions import db
from app.forms import ButtonForm
from app.links import external_url
from app.models import Cooperative, PairedTablet, Pupil
from app.models.types import utcnow
from app.services import pupil_sign_in, tablets


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True)


def _card_for(pupil: Pupil, token: str) -> dict:
    url = external_url("tablet.card", token=token)
    return {"pupil": pupil, "qr": qr_svg(url)}


def _print_sheet(cooperative: Cooperative, cards: list[dict], temporary: bool):
    return render_template("classes/cards_sheet.html", cooperative=cooperative, cards=cards, temporary=temporary)


@blueprint.get("/<int:cooperative_id>/cards")
@no_store
@require("view_cooperative", load=load_cooperative)
def cards(cooperative: Cooperative):
    now = utcnow()
    counts = {pupil.id: pupil_sign_in.valid_card_count(pupil, now) for pupil in cooperative.active_pupils()}
    return render_template("classes/cards.html", cooperative=cooperative, counts=counts, form=ButtonForm())


@blueprint.post("/<int:cooperative_id>/cards")
@no_store
@require("manage_cooperative", load=load_cooperative)
def print_cards(cooperative: Cooperative):
    tokens = pupil_sign_in.issue_class_cards(cooperative, utcnow())
    db.session.commit()
    pupils = {pupil.id: pupil for pupil in cooperative.active_pupils()}
    return _print_sheet(cooperative, [_card_for(pupils[pid], token) for pid, token in tokens.items()], False)


@blueprint.post("/pupils/<int:pupil_id>/temporary-card")
@no_store
@require("manage_cooperative", load=load_pupil)
def temporary_card(pupil: Pupil):
    token = pupil_sign_in.issue_card(pupil, utcnow(), temporary=True)
    db.session.commit()
    return _print_sheet(pupil.cooperative, [_card_for(pupil, token)], True)


@blueprint.post("/<int:cooperative_id>/cards/revoke")
@require("manage_cooperative", load=load_cooperative)
def revoke_cards(cooperative: Cooperative):
    count = pupil_sign_in.revoke_all_cards(cooperative, utcnow())
    db.session.commit()
    flash(ngettext("%(num)d card no longer works.", "%(num)d cards no longer work.", count), "success")
    return redirect(url_for("classes.cards", cooperative_id=cooperative.id))


@blueprint.post("/pupils/<int:pupil_id>/cards/revoke")
@require("manage_cooperative", load=load_pupil)
def revoke_pupil_cards(pupil: Pupil):
    count = pupil_sign_in.revoke_pupil_cards(pupil, utcnow())
    db.session.commit()
    flash(ngettext("%(num)d card of %(name)s no longer works.", "%(num)d cards of %(name)s no longer work.",
                   count, name=pupil.display_name), "success")
    return redirect(url_for("classes.cards", cooperative_id=pupil.cooperative_id))


@blueprint.get("/<int:cooperative_id>/tablets")
@require("view_cooperative", load=load_cooperative)
def tablets_page(cooperative: Cooperative):
    return render_template("classes/tablets.html", cooperative=cooperative, tablets=tablets.active_tablets(cooperative),
                           form=ButtonForm(), pairing=None)


@blueprint.post("/<int:cooperative_id>/tablets/pairing-link")
@no_store
@require("manage_cooperative", load=load_cooperative)
def new_pairing_link(cooperative: Cooperative):
    link, token = tablets.new_pairing_link(cooperative, utcnow())
    db.session.commit()
    url = external_url("tablet.pair", token=token)
    pairing = {"url": url, "qr": qr_svg(url), "expires_at": link.expires_at}
    template = "classes/pairing_board.html" if request.form.get("display") == "board" else "classes/tablets.html"
    return render_template(template, cooperative=cooperative, tablets=tablets.active_tablets(cooperative),
                           form=ButtonForm(), pairing=pairing)


@blueprint.post("/tablets/<int:tablet_id>/revoke")
@require("manage_cooperative", load=by_id(PairedTablet, "tablet_id", "tablet", target=lambda t: t.cooperative))
def revoke_tablet(tablet: PairedTablet):
    tablets.revoke_tablet(tablet, utcnow())
    db.session.commit()
    flash(_("“%(label)s” is no longer paired with the class.", label=tablet.label), "success")
    return redirect(url_for("classes.tablets_page", cooperative_id=tablet.cooperative_id))
