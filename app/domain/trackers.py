"""Ballot trackers: three friendly words derived from a sealed ballot, so pupils can check their ballot was counted."""

import hashlib
import unicodedata
from collections.abc import Iterable

WORD_COUNT = 3
DEFAULT_LANGUAGE = "en"
SEPARATOR = " · "

Tracker = tuple[int, int, int]

# Index order is part of the format: reordering or replacing a word changes every tracker already shown.
ENGLISH_WORDS: tuple[str, ...] = tuple(
    """
    ant bear bee beaver bird camel cat cow crab deer dog dolphin donkey duck eagle elephant fish
    frog giraffe goat goose hamster hedgehog hen horse kangaroo koala ladybird lamb lion llama
    monkey mouse octopus otter owl panda parrot peacock penguin pony rabbit seal sheep snail
    squirrel swan tiger turtle whale zebra butterfly chick kitten puppy fox hippo starfish flamingo
    robot apple banana cherry grape lemon mango melon peach pear plum kiwi strawberry raspberry
    coconut pineapple carrot pea potato tomato corn pumpkin bread butter cake cookie cheese honey
    jam juice milk muffin pancake pasta pizza popcorn rice soup waffle yogurt olive biscuit cupcake
    lollipop toast cloud rain rainbow snow sun moon star sky wind river lake sea ocean wave beach
    island hill mountain forest tree leaf flower rose tulip daisy grass seed acorn shell pebble sand
    puddle meadow garden valley planet summer autumn winter ball balloon basket bell bicycle boat
    book boot bottle bowl box button candle car castle chair clock coat crayon crown cup door drum
    flag fork glove guitar hat house kite key lamp lantern map mitten mirror paint paper pencil
    piano pillow plate pocket puzzle rocket rope scarf shoe skate sock sofa spoon sled swing table
    teapot tent train trumpet tractor truck umbrella violin wheel whistle window yoyo bus plane ship
    bridge tower windmill feather ribbon blanket slide red blue green yellow purple pink orange
    golden silver happy sunny shiny soft fluffy tiny big small fast brave kind calm clever funny
    gentle lucky quiet round sparkly sweet warm bright friendly giant magic striped cheerful
    """.split()
)

FRENCH_WORDS: tuple[str, ...] = tuple(
    """
    abeille agneau aigle baleine castor chat chaton cheval chien chiot coccinelle crabe cygne
    dauphin écureuil éléphant escargot fourmi girafe grenouille hamster hérisson hibou kangourou
    koala lama lapin lion loutre mouton ours panda paon papillon perroquet pingouin poney poussin
    renard souris tigre tortue zèbre canard chouette phoque pieuvre lézard chèvre oie abricot ananas
    banane brioche cerise citron confiture crêpe fraise framboise fromage gâteau gaufre kiwi lait
    mangue melon miel myrtille noisette olive pain pêche poire pomme prune raisin riz salade soupe
    clémentine tomate yaourt biscuit bonbon carotte chocolat citrouille croissant maïs pizza sucette
    beurre arbre étoile feuille fleur forêt herbe île lac lune mer montagne nuage neige océan plage
    pluie prairie rivière rocher sable soleil vague vent vallée colline jardin coquillage caillou
    comète planète ciel tulipe marguerite tournesol printemps été automne hiver graine champignon
    flocon ballon balle bateau bouteille bol boîte bougie bouton cadeau camion carte chaise chapeau
    château chaussette chaussure clé domino couronne crayon cuillère drapeau écharpe fenêtre
    fourchette fusée gant guitare horloge lampe lanterne livre maison manteau miroir moulin oreiller
    panier parapluie peinture piano pinceau pont porte puzzle robot sac seau table tambour tasse
    tente théière toboggan tour tracteur train trompette vélo violon voiture wagon sifflet
    balançoire toupie luge patin plume ruban bille avion bus cabane trottinette yoyo rouge bleu vert
    jaune violet rose orange doré argenté joyeux gentil calme rapide petit grand doux rond brillant
    malin drôle sage content léger mignon sucré chaud frais joli beau pétillant rigolo poli souriant
    tranquille rayé bouclé moelleux croquant magique géant minuscule agile curieux heureux tendre
    lisse soyeux
    """.split()
)

WORD_LISTS: dict[str, tuple[str, ...]] = {"en": ENGLISH_WORDS, "fr": FRENCH_WORDS}


def tracker_indices(sealed: bytes) -> Tracker:
    """Three bytes of a BLAKE2b hash of the sealed ballot, each an index into a 256-word list.

    hashlib's BLAKE2b gives the same bytes as libsodium's, eight times faster: a close hashes every ballot."""
    digest = hashlib.blake2b(sealed, digest_size=WORD_COUNT, person=b"agora:tracker").digest()
    return digest[0], digest[1], digest[2]


def word_list(language: str) -> tuple[str, ...]:
    """The list for a language or locale such as "fr" or "fr_FR"; English when there is none."""
    base = language.replace("-", "_").split("_")[0].lower()
    return WORD_LISTS.get(base, WORD_LISTS[DEFAULT_LANGUAGE])


def tracker_words(indices: Iterable[int], language: str = DEFAULT_LANGUAGE, separator: str = SEPARATOR) -> str:
    words = word_list(language)
    picked = tuple(indices)
    if len(picked) != WORD_COUNT or not all(0 <= index < len(words) for index in picked):
        raise ValueError(f"a tracker is {WORD_COUNT} indices from 0 to {len(words) - 1}")
    return separator.join(words[index] for index in picked)


def sorted_trackers(trackers: Iterable[Iterable[int]], language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Every tracker as words, in alphabetical order ignoring accents, duplicates kept."""
    return sorted((tracker_words(tracker, language) for tracker in trackers), key=_alphabetical_key)


def _alphabetical_key(text: str) -> tuple[str, str]:
    # Without this, "éléphant" would sort after "zèbre".
    without_accents = "".join(char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char))
    return without_accents.casefold(), text
