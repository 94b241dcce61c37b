"""Editing an assembly before it opens: agenda items, the pupils' roles, and whether the chair runs the board."""

from flask import abort

from app.assemblies.forms import ChairForm, FreeItemForm, MessageItemForm
from app.assemblies.page import render_show, roles_form
from app.assemblies.routes import blueprint, changed, load_assembly, load_item
from app.authz import require
from app.extensions import db
from app.models import AgendaItem, Assembly, Message
from app.services import assemblies


@blueprint.post("/<int:assembly_id>/items")
@require("manage_assembly", load=load_assembly)
def add_item(assembly: Assembly):
    form = FreeItemForm()
    if not form.validate_on_submit():
        return render_show(assembly, 422, item_form=form)
    return changed(assembly, assemblies.add_free_item, assembly, form.title.data, form.minutes.data)


@blueprint.post("/<int:assembly_id>/items/from-message")
@require("manage_assembly", load=load_assembly)
def add_message_item(assembly: Assembly):
    form = MessageItemForm()
    message = db.session.get(Message, form.message_id.data) if form.validate_on_submit() else None
    if message is None or message.cooperative_id != assembly.cooperative_id:
        abort(404)
    return changed(assembly, assemblies.add_message_item, assembly, message)


@blueprint.post("/items/<int:item_id>/remove")
@require("manage_assembly", load=load_item)
def remove_item(item: AgendaItem):
    return changed(item.assembly, assemblies.remove_item, item)


@blueprint.post("/items/<int:item_id>/<any(up, down):direction>")
@require("manage_assembly", load=load_item)
def move_item(item: AgendaItem, direction: str):
    return changed(item.assembly, assemblies.move_item, item, -1 if direction == "up" else 1)


@blueprint.post("/<int:assembly_id>/roles")
@require("manage_assembly", load=load_assembly)
def set_roles(assembly: Assembly):
    form = roles_form(assembly, submitted=True)
    if not form.validate_on_submit():
        return render_show(assembly, 422, roles_form=form)
    return changed(assembly, assemblies.set_roles, assembly, form.chosen())


@blueprint.post("/<int:assembly_id>/roles/suggest")
@require("manage_assembly", load=load_assembly)
def suggest_roles(assembly: Assembly):
    return changed(assembly, assemblies.set_roles, assembly, assemblies.suggested_roles(assembly))


@blueprint.post("/<int:assembly_id>/chair")
@require("manage_assembly", load=load_assembly)
def set_chair(assembly: Assembly):
    form = ChairForm()
    return changed(assembly, assemblies.set_chair_runs_board, assembly, bool(form.chair_runs_board.data))
