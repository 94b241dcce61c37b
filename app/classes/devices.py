"""Sign-in cards and paired tablets of a class, managed by its educator."""

import segno
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.authz import by_id, require
from app.classes.forms import ChosenCardsForm
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


def render_cards_page(cooperative: Cooperative, status: int = 200, chosen: ChosenCardsForm | None = None):
    """The cards page; until the educator ticks otherwise, the pupils with no card for the year are ticked."""
    counts = pupil_sign_in.valid_cards(cooperative, utcnow())
    if chosen is None:
        chosen = ChosenCardsForm(formdata=None, pupils=[pid for pid, kinds in counts.items() if not kinds["yearly"]])
    return render_template("classes/cards.html", cooperative=cooperative, counts=counts, form=ButtonForm(),
                           chosen=chosen), status


@blueprint.get("/<int:cooperative_id>/cards")
@no_store
@require("view_cooperative", load=load_cooperative)
def cards(cooperative: Cooperative):
    return render_cards_page(cooperative)


@blueprint.post("/<int:cooperative_id>/cards")
@no_store
@require("manage_cooperative", load=load_cooperative)
def print_cards(cooperative: Cooperative):
    tokens = pupil_sign_in.issue_class_cards(cooperative, utcnow())
    db.session.commit()
    pupils = {pupil.id: pupil for pupil in cooperative.active_pupils()}
    return _print_sheet(cooperative, [_card_for(pupils[pid], token) for pid, token in tokens.items()], False)


@blueprint.post("/<int:cooperative_id>/cards/chosen")
@no_store
@require("manage_cooperative", load=load_cooperative)
def print_chosen_cards(cooperative: Cooperative):
    """Yearly cards for the ticked pupils only: the others' cards keep working, theirs printed before do not."""
    form = ChosenCardsForm()
    if not form.validate_on_submit():
        return render_cards_page(cooperative, 422, form)
    try:
        pupils = pupil_sign_in.chosen_pupils(cooperative, form.pupils.data)
    except pupil_sign_in.CardsRefused as refusal:
        form.pupils.errors.append(_refusal_sentence(refusal))
        return render_cards_page(cooperative, 422, form)
    tokens = pupil_sign_in.issue_pupil_cards(pupils, utcnow())
    db.session.commit()
    return _print_sheet(cooperative, [_card_for(pupil, tokens[pupil.id]) for pupil in pupils], False)


def _refusal_sentence(refusal: pupil_sign_in.CardsRefused) -> str:
    if refusal.reason == "none_chosen":
        return _("Nothing was printed: tick at least one pupil first.")
    if refusal.reason == "departed":
        return ngettext("Nothing was printed: %(names)s has left the class. Check the ticked pupils and print again.",
                        "Nothing was printed: %(names)s have left the class. Check the ticked pupils and print again.",
                        len(refusal.names), names=", ".join(refusal.names))
    return _("Nothing was printed: a ticked pupil is no longer in this class. Check the ticked pupils and print "
             "again.")


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
