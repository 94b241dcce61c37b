"""SPEC §14 register: search over 1,000,000 decisions, p95 < 100 ms (indexed full-text search on both databases).

Run from the repository root:
    .venv/bin/python -m bench.register_search --database sqlite|postgresql [--rows 1000000] [--classes 10000]
                                              [--reuse] [--repeat 2] [--explain 5]

1. Builds the schema with the app (create_app + db.create_all: the after_create event also creates the search
   objects of app/models/search.py — SQLite's FTS5 table and its triggers, PostgreSQL's GIN index), then one
   school, --classes cooperatives over 10 school years, and --rows decisions (French and English texts built from
   word lists, so that terms have realistic selectivities; methods and statuses mixed; dates within each class's
   school year, ids in date order). SQLite: executemany in large transactions, the FTS5 triggers filling the
   index (or, with --sqlite-load rebuild, the insert trigger dropped, FTS5 'rebuild', the trigger recreated).
   PostgreSQL: COPY, with the GIN index dropped during the load and recreated with the exact statement of
   app/models/search.py (--pg-load keep-index to load with the index in place), then VACUUM ANALYZE.
2. Measures the register page's real query path: for ~220 searches (common word, rare word, two words, accented
   and unaccented, plural and singular, English, no match, no words; school-wide scope — every class of the school,
   the head's view — and one class; with and without school year, status and method filters), the time of
   register_search.count(filters) (which stops at COUNT_LIMIT + 1, as the page does) +
   register_search.page_of(filters, 1) inside an app context, a new session per
   search as in a request. One untimed-for-the-target first pass, then --repeat timed passes.
3. Reports load time, database size, p50/p95/max overall and per kind of search, the slowest searches; --explain N
   prints the plans of the N slowest.

Bounded: every SQL statement of the measurement is cut at --statement-timeout seconds (counted as a failure), and
the whole run stops measuring after --max-minutes. Only 127.0.0.1 is ever contacted.
"""

import argparse
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import percentile

SQLITE_PATH = "/tmp/agora-bench-register.sqlite"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/agora_bench_register"
SECRET = "bench-register-secret"  # noqa: S105 - a throw-away database
FIRST_YEAR = 2016
YEARS = 10
TARGET_MS = 100.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--rows", type=int, default=1_000_000, help="decisions to generate")
    parser.add_argument("--classes", type=int, default=10_000, help="cooperatives, spread over 10 school years")
    parser.add_argument("--schools", type=int, default=1, help="the head's view is school 1's classes")
    parser.add_argument("--reuse", action="store_true", help="skip generation if the database has the rows")
    parser.add_argument("--sqlite-path", default=SQLITE_PATH)
    parser.add_argument("--postgresql-url", default=POSTGRES_URL)
    parser.add_argument("--sqlite-load", choices=("triggers", "rebuild"), default="triggers")
    parser.add_argument("--pg-load", choices=("drop-index", "keep-index"), default="drop-index")
    parser.add_argument("--repeat", type=int, default=2, help="timed passes over the searches")
    parser.add_argument("--explain", type=int, default=0, help="print the plans of the N slowest searches")
    parser.add_argument("--statement-timeout", type=float, default=20.0, help="seconds per SQL statement")
    parser.add_argument("--max-minutes", type=float, default=60.0, help="stop measuring after this")
    parser.add_argument("--seed", type=int, default=8)
    return parser.parse_args()


# Texts ---------------------------------------------------------------------------------------------------------

# (verbs, objects) by kind of decision: a verb always fits its object. Earlier entries are chosen more often
# (Zipf weights), so some terms are in many decisions and others in few.
FRENCH = (
    (("Organiser", "Préparer", "Proposer", "Annuler", "Reporter", "Fêter"),
     ("une kermesse", "un spectacle de fin d'année", "la fête de l'école", "une vente de gâteaux", "un carnaval",
      "un tournoi de football", "un marché de Noël", "une boum", "un concours de dessin", "un pique-nique",
      "une chasse aux œufs", "un loto", "une journée sans cartable", "un goûter partagé", "une exposition de photos",
      "un tournoi d'échecs", "une course solidaire", "une soirée jeux", "un défilé de déguisements",
      "une journée des talents", "un concert de flûte", "un troc de livres", "une rencontre avec les CM2")),
    (("Acheter", "Fabriquer", "Réparer", "Ranger", "Prêter", "Remplacer", "Installer", "Commander"),
     ("des ballons", "des jeux de société", "des cordes à sauter", "une boîte à idées", "des nichoirs pour les oiseaux",
      "un composteur", "des plantes aromatiques", "un hôtel à insectes", "des tables de pique-nique", "des coussins",
      "des raquettes", "un tapis de lecture", "des crayons de couleur", "une horloge", "des bandes dessinées",
      "un aquarium", "des plots", "des cerceaux", "un baby-foot", "des bacs à fleurs", "des frisbees", "un poulailler",
      "une cage pour le hamster", "des casiers", "un trampoline", "un xylophone", "des boussoles", "un kamishibaï",
      "des échasses", "une imprimante 3D", "un microscope", "des tablettes de chocolat")),
    (("Créer", "Repeindre", "Nettoyer", "Décorer", "Aménager", "Agrandir", "Entretenir", "Arroser"),
     ("un jardin potager", "le mur de l'école", "le coin lecture", "la cour", "les toilettes", "la bibliothèque de la "
      "classe", "le préau", "le couloir", "un coin calme", "la mare", "les jardinières", "le portail", "la cantine",
      "le terrain de sport", "un jardin des senteurs", "la salle informatique", "le bac à sable", "la fresque du "
      "couloir", "un labyrinthe de haies")),
    (("Changer", "Voter", "Afficher", "Écrire", "Respecter", "Expliquer", "Rappeler"),
     ("les règles de la récréation", "le règlement de la classe", "les métiers de la classe", "le plan de classe",
      "les règles du foot dans la cour", "la charte de la cantine", "le tour de rôle pour les ballons",
      "les règles du conseil", "le tableau des responsabilités", "les messages de la boîte à idées")),
    (("Visiter", "Réserver une sortie pour", "Écrire à", "Inviter les élèves de", "Préparer la sortie à"),
     ("la médiathèque", "la ferme pédagogique", "le musée des Beaux-Arts", "la caserne des pompiers", "la mairie",
      "le zoo", "le collège", "la maison de retraite", "le château de Chambord", "la grotte de Lascaux",
      "le Futuroscope", "Vulcania", "le planétarium", "la boulangerie du quartier", "une école anglaise",
      "l'observatoire", "le mont Saint-Michel", "la cité des sciences", "le parc des oiseaux", "la station d'épuration",
      "la chocolaterie", "le moulin de Valmy", "la forêt de Brocéliande", "l'aquarium de Lyon",
      "la volerie des aigles")),
)
FRENCH_PLACES = ("dans la cour", "au gymnase", "à la cantine", "sous le préau", "près du portail", "dans la classe",
                 "à la bibliothèque", "au fond du jardin", "dans le couloir", "devant l'école")
FRENCH_TIMES = ("avant les vacances", "en juin", "le vendredi après-midi", "chaque lundi", "pour la fête de l'école",
                "avant Noël", "au printemps", "à la rentrée", "pendant la récréation", "au troisième trimestre")
FRENCH_EXTRAS = ("avec l'argent de la coopérative", "avec l'aide des parents", "avec les CP",
                 "si la directrice est d'accord", "en demandant à la mairie", "pour 50 euros au plus",
                 "avec la classe de Mme Martin", "et en parler au prochain conseil")
ENGLISH = (
    (("Organise", "Prepare", "Plan", "Cancel"),
     ("a school fair", "an end-of-year show", "a cake sale", "a football tournament", "a Christmas market",
      "a drawing contest", "a picnic", "an Easter egg hunt", "a talent show", "a book swap")),
    (("Buy", "Make", "Repair", "Tidy", "Replace", "Order"),
     ("new balls", "board games", "skipping ropes", "an idea box", "bird boxes", "a compost bin", "cushions",
      "a clock", "comic books", "a fish tank", "hula hoops", "a table football game", "a telescope")),
    (("Create", "Repaint", "Clean", "Decorate", "Water"),
     ("a vegetable garden", "the school wall", "the reading corner", "the playground", "the toilets",
      "the class library", "a quiet corner", "the pond", "the flower beds")),
    (("Change", "Vote on", "Display", "Write"),
     ("the playtime rules", "the class rules", "the class jobs", "the seating plan", "the football rules")),
    (("Visit", "Book a trip to", "Write to", "Invite"),
     ("the library", "the farm", "the fire station", "the town hall", "the zoo", "the science museum",
      "a French school", "the planetarium", "the bakery", "the botanical garden")),
)
ENGLISH_PLACES = ("in the playground", "in the gym", "in the canteen", "in the classroom", "near the gate")
ENGLISH_TIMES = ("before the holidays", "in June", "on Friday afternoons", "every Monday", "for the school party",
                 "before Christmas", "in the spring")
NAMES = ("Léa", "Hugo", "Inès", "Lucas", "Jade", "Adam", "Louise", "Gabriel", "Emma", "Raphaël", "Alice", "Arthur",
         "Chloé", "Louis", "Lina", "Jules", "Rose", "Maël", "Mia", "Nathan", "Zoé", "Noé", "Mila", "Tom", "Anna",
         "Sacha", "Ambre", "Ethan", "Julia", "Paul", "Lou", "Timéo", "Agathe", "Aaron", "Iris", "Nolan", "Manon",
         "Victor", "Camille", "Eden", "Sarah", "Mathis", "Romane", "Axel", "Nina", "Léon", "Margaux", "Yanis",
         "Clémence", "Samuel", "Élise", "Malo", "Salomé", "Baptiste", "Capucine", "Youssef", "Anatole", "Ysée",
         "Bérénice", "Gaspard", "Apolline", "Octave", "Philippine", "Séraphin", "Ondine", "Barnabé")
RARITIES = ("une clepsydre", "un zootrope", "un astrolabe", "un praxinoscope", "un sextant", "un théorbe",
            "une cornemuse", "un didgeridoo", "un métronome", "un kaléidoscope")  # ~50 decisions each per million
METHODS = (("show_of_hands", 45), ("consensus", 30), ("secret_ballot", 20), ("election", 5))
RULES = {"show_of_hands": "simple", "secret_ballot": "absolute", "consensus": "", "election": "plurality"}


def zipf(count: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank ** exponent) for rank in range(1, count + 1)]


class TextMaker:
    """Decision texts: 80 % French, 20 % English; verb + object, sometimes a place, a time, a condition, names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.french_kinds, self.english_kinds = zipf(len(FRENCH), 0.6), zipf(len(ENGLISH), 0.6)
        self.french_objects = [zipf(len(objects)) for _verbs, objects in FRENCH]
        self.english_objects = [zipf(len(objects)) for _verbs, objects in ENGLISH]
        self.names = zipf(len(NAMES), 0.8)

    def pick(self, items, weights=None):
        return self.rng.choices(items, weights)[0]

    def french(self) -> str:
        verbs, objects = self.pick(FRENCH, self.french_kinds)
        index = FRENCH.index((verbs, objects))
        parts = [self.pick(verbs), self.pick(objects, self.french_objects[index])]
        for pool, chance in ((FRENCH_PLACES, 0.35), (FRENCH_TIMES, 0.4), (FRENCH_EXTRAS, 0.2)):
            if self.rng.random() < chance:
                parts.append(self.pick(pool, zipf(len(pool), 0.7)))
        text = " ".join(parts) + "."
        if self.rng.random() < 0.3:
            first, second = self.rng.choices(NAMES, self.names, k=2)
            text += f" Responsables : {first} et {second}."
        return text

    def english(self) -> str:
        verbs, objects = self.pick(ENGLISH, self.english_kinds)
        index = ENGLISH.index((verbs, objects))
        parts = [self.pick(verbs), self.pick(objects, self.english_objects[index])]
        for pool, chance in ((ENGLISH_PLACES, 0.3), (ENGLISH_TIMES, 0.4)):
            if self.rng.random() < chance:
                parts.append(self.pick(pool))
        text = " ".join(parts) + "."
        if self.rng.random() < 0.3:
            first, second = self.rng.choices(NAMES, self.names, k=2)
            text += f" In charge: {first} and {second}."
        return text

    def __call__(self) -> str:
        text = self.french() if self.rng.random() < 0.8 else self.english()
        if self.rng.random() < 0.0005:
            text += f" Apporter {self.pick(RARITIES)}."
        return text


# Generation ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shape:
    rows: int
    classes: int
    schools: int


def cooperative_rows(shape: Shape) -> list[tuple]:
    """(id, school_id, name, school_year): classes spread evenly over the schools and the 10 school years."""
    rows = []
    for number in range(shape.classes):
        school_id = number % shape.schools + 1
        year = FIRST_YEAR + (number // shape.schools) % YEARS
        rows.append((number + 1, school_id, f"Classe {number + 1:05d}", year))
    return rows


def status_for(year: int, rng: random.Random) -> str:
    if year < FIRST_YEAR + YEARS - 1:
        return rng.choices(("done", "dropped", "in_progress", "to_do"), (70, 20, 5, 5))[0]
    return rng.choices(("to_do", "in_progress", "done", "dropped"), (35, 25, 30, 10))[0]


def decision_rows(shape: Shape, cooperatives: list[tuple], seed: int) -> list[tuple]:
    """(id, cooperative_id, text, decided_at, method, rule, due_on, status), ids in the order of the dates."""
    rng = random.Random(seed)
    make_text = TextMaker(rng)
    methods, method_weights = zip(*METHODS, strict=True)
    rows = []
    for index in range(shape.rows):
        cooperative_id, _school, _name, year = cooperatives[index % len(cooperatives)]
        decided = datetime(year, 9, 5, 8, tzinfo=UTC) + timedelta(seconds=rng.randrange(290 * 86400))
        method = rng.choices(methods, method_weights)[0]
        due = (decided + timedelta(days=rng.randrange(7, 60))).date() if rng.random() < 0.5 else None
        rows.append((cooperative_id, make_text(), decided, method, RULES[method], due, status_for(year, rng)))
    rows.sort(key=lambda row: row[2])
    return [(number, *row) for number, row in enumerate(rows, start=1)]


def make_app(url: str, statement_timeout: float):
    from app import create_app
    from config import Config

    config = Config()
    config.SQLALCHEMY_DATABASE_URI, config.SECRET_KEY, config.BALLOT_KEY_SECRET = url, SECRET, SECRET + "-ballots"
    if url.startswith("postgresql"):
        milliseconds = int(statement_timeout * 1000)
        config.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True,
                                           "connect_args": {"options": f"-c statement_timeout={milliseconds}"}}
    return create_app(config)


def local_only(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"refusing {host}: this benchmark only uses 127.0.0.1")


def recreate_postgresql(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def existing_rows(args) -> int:
    """Decisions already in the database, 0 if it or its table is missing."""
    if args.database == "sqlite":
        if not Path(args.sqlite_path).exists():
            return 0
        with sqlite3.connect(args.sqlite_path) as connection:
            try:
                return connection.execute("SELECT count(*) FROM decision").fetchone()[0]
            except sqlite3.OperationalError:
                return 0
    import psycopg

    try:
        with psycopg.connect(args.postgresql_url) as connection:
            return connection.execute("SELECT count(*) FROM decision").fetchone()[0]
    except psycopg.Error:
        return 0


def sqlite_stamp(moment: datetime) -> str:
    """How SQLAlchemy stores a DateTime on SQLite (naive UTC, microseconds always written)."""
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def insert_people(shape: Shape) -> list[tuple]:
    """The schools and their cooperatives, through SQLAlchemy core (few rows)."""
    from sqlalchemy import insert

    from app.extensions import db
    from app.models import Cooperative, School

    now = datetime.now(UTC)
    db.session.execute(insert(School), [dict(id=number, name=f"École {number}", city="Lyon", status="approved",
                                             applied_at=now, decided_at=now)
                                        for number in range(1, shape.schools + 1)])
    cooperatives = cooperative_rows(shape)
    for start in range(0, len(cooperatives), 5000):
        db.session.execute(insert(Cooperative), [dict(id=c, school_id=s, name=n, school_year=y, kind="class",
                                                      created_at=now)
                                                 for c, s, n, y in cooperatives[start:start + 5000]])
    db.session.commit()
    return cooperatives


def load_sqlite(rows: list[tuple], mode: str, figures: dict) -> None:
    from app.extensions import db
    from app.models.search import SQLITE_DDL

    raw = db.engine.raw_connection()
    connection = raw.driver_connection
    connection.execute("PRAGMA synchronous = OFF")  # this load connection only; the app's pragmas stay as they are
    connection.execute("PRAGMA cache_size = -1000000")
    if mode == "rebuild":
        connection.execute("DROP TRIGGER decision_search_insert")
    statement = ("INSERT INTO decision (id, cooperative_id, text, decided_at, method, rule, figures, due_on, status) "
                 "VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?)")
    started = time.perf_counter()
    for start in range(0, len(rows), 200_000):
        chunk = [(n, c, t, sqlite_stamp(d), m, r, due.isoformat() if due else None, s)
                 for n, c, t, d, m, r, due, s in rows[start:start + 200_000]]
        connection.execute("BEGIN")
        connection.executemany(statement, chunk)
        connection.execute("COMMIT")
        print(f"  {start + len(chunk):,} rows, {time.perf_counter() - started:.0f} s", flush=True)
    figures["insert"] = time.perf_counter() - started
    if mode == "rebuild":
        started = time.perf_counter()
        connection.execute("INSERT INTO decision_search(decision_search) VALUES ('rebuild')")
        figures["fts5 rebuild"] = time.perf_counter() - started
        for statement in SQLITE_DDL:  # IF NOT EXISTS: recreates the dropped trigger, exactly as the app writes it
            connection.execute(statement)
    started = time.perf_counter()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    figures["checkpoint"] = time.perf_counter() - started
    raw.close()


def load_postgresql(rows: list[tuple], mode: str, figures: dict) -> None:
    from app.extensions import db
    from app.models.search import POSTGRESQL_DDL

    create_index = next(statement for statement in POSTGRESQL_DDL if statement.startswith("CREATE INDEX"))
    raw = db.engine.raw_connection()
    connection = raw.driver_connection
    connection.autocommit = True
    connection.execute("SET statement_timeout = 0")
    if mode == "drop-index":
        connection.execute("DROP INDEX ix_decision_search")
    started = time.perf_counter()
    columns = "id, cooperative_id, text, decided_at, method, rule, figures, due_on, status"
    with connection.transaction(), connection.cursor() as cursor:
        with cursor.copy(f"COPY decision ({columns}) FROM STDIN") as copy:
            for n, c, t, d, m, r, due, s in rows:
                copy.write_row((n, c, t, d.replace(tzinfo=None), m, r, "{}", due, s))
        cursor.execute("SELECT setval('decision_id_seq', (SELECT max(id) FROM decision))")
    figures["copy"] = time.perf_counter() - started
    if mode == "drop-index":
        started = time.perf_counter()
        connection.execute("SET maintenance_work_mem = '1GB'")  # this load connection only
        connection.execute(create_index)
        figures["GIN index build"] = time.perf_counter() - started
    started = time.perf_counter()
    connection.execute("VACUUM ANALYZE")
    figures["vacuum analyze"] = time.perf_counter() - started
    raw.close()


def search_objects_present() -> str:
    """Proof that the app's search objects are there after the load, whatever the load did."""
    from sqlalchemy import text

    from app.extensions import db

    if db.engine.dialect.name == "sqlite":
        names = db.session.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'decision_search%' "
                                        "AND type IN ('table', 'trigger') ORDER BY name")).scalars().all()
        return "search objects: " + ", ".join(names)
    definition = db.session.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_decision_search'"))
    return "search index: " + (definition.scalar() or "MISSING")


def generate(args, url: str, shape: Shape) -> dict:
    from app.extensions import db

    figures: dict[str, float] = {}
    if args.database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(args.sqlite_path + suffix).unlink(missing_ok=True)
    else:
        recreate_postgresql(args.postgresql_url)
    started = time.perf_counter()
    rows = decision_rows(shape, cooperative_rows(shape), args.seed)
    figures["generate texts (Python)"] = time.perf_counter() - started
    print(f"generated {len(rows):,} decisions in {figures['generate texts (Python)']:.0f} s", flush=True)
    app = make_app(url, args.statement_timeout)
    with app.app_context():
        loading = time.perf_counter()
        db.create_all()
        insert_people(shape)
        db.session.remove()
        if args.database == "sqlite":
            load_sqlite(rows, args.sqlite_load, figures)
        else:
            load_postgresql(rows, args.pg_load, figures)
        figures["load total (schema + rows + index)"] = time.perf_counter() - loading
        print(search_objects_present())
        db.session.remove()
        db.engine.dispose()
    return figures


def database_size(args) -> str:
    if args.database == "sqlite":
        files = [Path(args.sqlite_path + suffix) for suffix in ("", "-wal")]
        total = sum(path.stat().st_size for path in files if path.exists())
        with sqlite3.connect(args.sqlite_path) as connection:
            try:
                parts = dict(connection.execute(
                    "SELECT CASE WHEN name LIKE 'decision_search%' THEN 'FTS5' WHEN name = 'decision' THEN 'decision' "
                    "ELSE 'other' END, sum(pgsize) FROM dbstat GROUP BY 1").fetchall())
                detail = ", ".join(f"{k} {v / 2**20:.0f} MiB" for k, v in sorted(parts.items()))
            except sqlite3.OperationalError:
                detail = "dbstat unavailable"
        return f"{total / 2**20:.0f} MiB ({detail})"
    import psycopg

    with psycopg.connect(args.postgresql_url) as connection:
        total, table, heap, gin = connection.execute(
            "SELECT pg_database_size(current_database()), pg_total_relation_size('decision'), "
            "pg_relation_size('decision'), pg_relation_size('ix_decision_search')").fetchone()
    return (f"database {total / 2**20:.0f} MiB (decision with indexes {table / 2**20:.0f} MiB: heap {heap / 2**20:.0f}"
            f" MiB, GIN ix_decision_search {gin / 2**20:.0f} MiB)")


# The searches --------------------------------------------------------------------------------------------------

WORDS = (
    ("common", "école"), ("common", "classe"), ("common", "jardin"), ("common", "acheter"), ("common", "cour"),
    ("common", "organiser"),
    ("uncommon", "Chambord"), ("uncommon", "trampoline"), ("uncommon", "xylophone"), ("uncommon", "Séraphin"),
    ("uncommon", "Lascaux"), ("rare", "clepsydre"), ("rare", "zootrope"), ("rare", "astrolabe"),
    ("two words", "jardin potager"), ("two words", "vente gâteaux"), ("two words", "tournoi football"),
    ("two words", "la cour"), ("two words", "sortie musée"),
    ("unaccented", "ecole"), ("unaccented", "recreation"), ("unaccented", "fete"), ("unaccented", "gateaux"),
    ("plural/singular", "jardins"), ("plural/singular", "ballons"), ("plural/singular", "kermesses"),
    ("plural/singular", "gâteau"),
    ("English", "garden"), ("English", "school fair"),
    ("no match", "dinosaure"),
    ("no words", ""),
)
# (scope, filters): the head's school-wide page and a class's page, as the search form combines them.
COMBINATIONS = (
    ("school", ()), ("school", ("school_year",)), ("school", ("status",)), ("school", ("method", "school_year")),
    ("school", ("oldest_first",)), ("class", ()), ("class", ("status",)), ("class", ("method",)),
)


@dataclass(frozen=True)
class Search:
    kind: str
    scope: str
    label: str
    filters: object  # DecisionFilters


def searches(cooperatives: list[tuple], seed: int) -> list[Search]:
    from app.models.register import DECISION_METHODS, DECISION_STATUSES
    from app.services.register_search import DecisionFilters

    rng = random.Random(seed + 1)
    school = tuple(c for c, school_id, _name, _year in cooperatives if school_id == 1)
    found = []
    for kind, words in WORDS:
        for scope, names in COMBINATIONS:
            values = dict(school_year=rng.randrange(FIRST_YEAR, FIRST_YEAR + YEARS), status=rng.choice(
                DECISION_STATUSES), method=rng.choice(DECISION_METHODS), oldest_first=True)
            chosen = {name: values[name] for name in names}
            where = dict(school_id=1) if scope == "school" else dict(cooperative_ids=(rng.choice(school),))
            filters = DecisionFilters(words=words, **where, **chosen)
            label = f"{words or '(no words)'!r} {scope}" + "".join(f" {k}={v}" for k, v in chosen.items())
            found.append(Search(kind, scope, label, filters))
    return found


# Measuring -----------------------------------------------------------------------------------------------------

class Deadline:
    """Per-statement time limit: PostgreSQL's statement_timeout, and a progress handler on SQLite."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.until = seconds, float("inf")

    def arm(self) -> None:
        self.until = time.monotonic() + self.seconds

    def install(self, engine) -> None:
        from sqlalchemy import event

        if engine.dialect.name != "sqlite":
            return

        @event.listens_for(engine, "connect")
        def _progress(dbapi_connection, _record):
            dbapi_connection.set_progress_handler(lambda: time.monotonic() > self.until, 100_000)


def run_search(search: Search, deadline: Deadline) -> tuple[float, int | None]:
    """count + page_of(…, 1), as render_register does; (seconds, count) — count None if cut by the deadline."""
    from app.extensions import db
    from app.services import register_search

    deadline.arm()
    started = time.perf_counter()
    try:
        total = register_search.count(search.filters)
        register_search.page_of(search.filters, 1)
    except Exception as error:  # noqa: BLE001 - a timed-out statement is a measurement, reported as such
        elapsed = time.perf_counter() - started
        print(f"  ! {search.label}: {type(error).__name__} after {elapsed:.1f} s")
        db.session.rollback()
        total = None
    else:
        elapsed = time.perf_counter() - started
    db.session.remove()  # a request ends its session; the pooled connection stays, as in a worker
    return elapsed, total


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def line(label: str, values: list[float]) -> str:
    return (f"{label:<28} n={len(values):<4} p50 {ms(percentile(values, 0.5)):>7} ms   p95 "
            f"{ms(percentile(values, 0.95)):>7} ms   max {ms(max(values)):>7} ms")


def measure(all_searches: list[Search], args, deadline: Deadline, stop_at: float) -> dict:
    first, timed, totals = {}, defaultdict(list), {}
    for search in all_searches:
        first[search.label], totals[search.label] = run_search(search, deadline)
    for _ in range(args.repeat):
        for search in all_searches:
            if time.monotonic() > stop_at:
                print("  ! --max-minutes reached: stopping the measurement")
                return dict(first=first, timed=timed, totals=totals)
            timed[search.label].append(run_search(search, deadline)[0])
    return dict(first=first, timed=timed, totals=totals)


def report(all_searches: list[Search], result: dict, title: str) -> list[float]:
    timed, totals = result["timed"], result["totals"]
    samples = [value for values in timed.values() for value in values]
    print(f"\n== {title}")
    print(line("first pass", list(result["first"].values())))
    if not samples:
        return samples
    print(line("timed passes (all)", samples))
    for group in ("school", "class"):
        print(line(f"  scope {group}", [v for s in all_searches if s.scope == group for v in timed[s.label]]))
    for kind in dict.fromkeys(s.kind for s in all_searches):
        print(line(f"  {kind}", [v for s in all_searches if s.kind == kind for v in timed[s.label]]))
    verdict = "MET" if percentile(samples, 0.95) * 1000 < TARGET_MS else "MISSED"
    print(f"target p95 < {TARGET_MS:.0f} ms: {verdict}")
    slowest = sorted(all_searches, key=lambda s: -statistics.median(timed[s.label] or [0]))[:12]
    print("slowest (median of timed passes, matches):")
    for search in slowest:
        print(f"  {ms(statistics.median(timed[search.label])):>8} ms  {totals[search.label]!s:>8}  {search.label}")
    return samples


def explain(search: Search) -> None:
    """The plans of the two statements the page runs, with the database's own timing."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.services.register_search import COUNT_LIMIT, PAGE_SIZE, filtered

    capped = filtered(search.filters).order_by(None).limit(COUNT_LIMIT + 1)
    counting = select(func.count()).select_from(capped.subquery())
    paging = filtered(search.filters).limit(PAGE_SIZE).offset(0)
    print(f"\n-- EXPLAIN {search.label}")
    for name, statement in (("count", counting), ("page", paging)):
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        sql = str(compiled)
        if db.engine.dialect.name == "postgresql":
            rows = db.session.execute(db.text("EXPLAIN (ANALYZE, BUFFERS) " + sql)).scalars().all()
        else:
            rows = [" ".join(map(str, row)) for row in db.session.execute(db.text("EXPLAIN QUERY PLAN " + sql))]
        print(f"[{name}]")
        for row in rows:
            print("   ", row if len(row) < 400 else row[:400] + " …")
    db.session.remove()


# Machine -------------------------------------------------------------------------------------------------------

def machine(args) -> str:
    model = next((row.split(":", 1)[1].strip() for row in Path("/proc/cpuinfo").read_text().splitlines()
                  if row.startswith("model name")), "unknown")
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()[1].split()[1]
    server = ""
    if args.database == "postgresql":
        import psycopg

        with psycopg.connect(args.postgresql_url) as connection:
            server = ", PostgreSQL " + connection.execute("SHOW server_version").fetchone()[0]
            settings = [f"{name}={connection.execute(f'SHOW {name}').fetchone()[0]}" for name in
                        ("shared_buffers", "work_mem", "jit", "max_parallel_workers_per_gather")]
            server += f" ({' '.join(settings)})"
    return (f"nproc {os.cpu_count()}, {model}, {memory} RAM, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}{server}")


def main() -> None:
    args = parse_args()
    url = f"sqlite:///{args.sqlite_path}"
    if args.database == "postgresql":
        local_only(args.postgresql_url)
        url = args.postgresql_url.replace("postgresql://", "postgresql+psycopg://", 1)
    shape = Shape(args.rows, args.classes, args.schools)
    cooperatives = cooperative_rows(shape)
    have = existing_rows(args)
    if args.reuse and have == args.rows:
        print(f"\nreusing {have:,} decisions")
        figures = {}
    else:
        figures = generate(args, url, shape)
    print(machine(args))
    for name, seconds in figures.items():
        print(f"  {name}: {seconds:.1f} s")
    print("size:", database_size(args))

    from app.extensions import db

    app = make_app(url, args.statement_timeout)
    deadline = Deadline(args.statement_timeout)
    stop_at = time.monotonic() + args.max_minutes * 60
    with app.app_context():
        deadline.install(db.engine)
        all_searches = searches(cooperatives, args.seed)
        before = os.getloadavg()[0]
        result = measure(all_searches, args, deadline, stop_at)
        print(f"\nload average (1 min) before/after the measurement: {before:.1f} / {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs (other work on the machine inflates the figures)")
        samples = report(all_searches, result, f"{args.database}: count + page_of, {len(all_searches)} searches")
        if args.explain:
            timed = result["timed"]
            for search in sorted(all_searches, key=lambda s: -statistics.median(timed[s.label] or [0]))[:args.explain]:
                explain(search)
    return samples


if __name__ == "__main__":
    main()
