"""The speakers queue: pupils ask to speak from a tablet; the speaker-giver or the educator gives the floor."""

from flask_login import current_user

from app.assemblies.board import live_change
from app.assemblies.routes import blueprint, load_assembly
from app.authz import require
from app.models import Assembly
from app.models.types import utcnow
from app.services import speakers


@blueprint.post("/<int:assembly_id>/speakers")
@require("take_part", load=load_assembly)
def ask_to_speak(assembly: Assembly):
    return live_change(assembly, speakers.ask_to_speak, assembly, current_user._get_current_object(), utcnow())


@blueprint.post("/<int:assembly_id>/speakers/cancel")
@require("take_part", load=load_assembly)
def cancel_speaking(assembly: Assembly):
    return live_change(assembly, speakers.cancel, assembly, current_user._get_current_object())


@blueprint.post("/<int:assembly_id>/speakers/next")
@require("give_floor", load=load_assembly)
def call_next_speaker(assembly: Assembly):
    return live_change(assembly, speakers.call_next, assembly)
