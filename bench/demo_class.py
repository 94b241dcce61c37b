"""The demo class the pupil-pages benchmark walks through: `flask demo`'s school, plus a message box with
approved messages, an assembly in session and an open secret motion, built through the app's services."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench import common

QUESTION = "Plantons-nous un potager dans la cour au printemps ?"
BOX = (("propose", "Je propose une sortie au parc pour le pique-nique de fin d'année."),
       ("propose", "Je propose qu'on ait un ballon par équipe à la récréation."),
       ("propose", "Je propose qu'on change les places tous les mois."),
       ("congratulate", "Je félicite Hugo qui a aidé Lina en mathématiques."),
       ("congratulate", "Je félicite toute la classe pour le spectacle de Noël."),
       ("criticise", "Je critique le bruit à la cantine : on ne s'entend plus."),
       ("wish", "Je voudrais qu'on ait un poisson rouge dans la classe."),
       ("wish", "Je voudrais plus de temps pour lire le matin."))


@dataclass(frozen=True)
class Pupil:
    id: int
    picks: tuple[int, ...]  # the picture code, as positions in the grid


@dataclass(frozen=True)
class Demo:
    pairing_tokens: list[str]
    pupils: list[Pupil]


def build_demo(secret: bytes, walks: int) -> Demo:
    """The demo class with its message box, an assembly in session and an open motion; needs an app context."""
    from sqlalchemy import select

    from app.cli import DEMO_ACCOUNTS, demo_class, load_demo
    from app.domain.pictures import CODE_PICTURES
    from app.extensions import db
    from app.models import User
    from app.models.types import utcnow
    from app.services import assemblies, messages, polls, tablets

    load_demo()
    cooperative = demo_class()
    teacher = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[2][0]))
    pupils = cooperative.active_pupils()
    for number, (kind, text) in enumerate(BOX):
        messages.post_message(pupils[-1 - number], kind, text, utcnow()).status = "approved"
    db.session.flush()
    assembly = assemblies.plan_assembly(cooperative, utcnow() + timedelta(minutes=1), "Salle de classe", utcnow())
    assemblies.open_assembly(assembly, utcnow())
    polls.open_poll(polls.create_motion(cooperative, QUESTION, "simple", None, teacher), teacher, utcnow(), secret)
    tokens = [tablets.new_pairing_link(cooperative, utcnow())[1] for _ in range(walks)]
    db.session.commit()
    return Demo(tokens, [Pupil(pupil.id, tuple(CODE_PICTURES.index(key) for key in pupil.picture_code.split("-")))
                         for pupil in pupils[:2 * walks]])


def prepare(work: Path, walks: int) -> tuple[dict[str, str], Demo]:
    env = common.app_environment(f"sqlite:///{work / 'pupil-pages.sqlite'}", secrets.token_hex(32))
    common.migrate(env)
    common.use_app_environment(env)
    from app import create_app

    with create_app().app_context():
        return env, build_demo(env["BALLOT_KEY_SECRET"].encode(), walks)
