"""The pictures pupils see: avatars and picture-code pictures, each with a word (never a picture alone)."""

from flask_babel import lazy_gettext as _l

PICTURES = {
    "sun": ("☀️", _l("sun")),
    "tree": ("🌳", _l("tree")),
    "fish": ("🐟", _l("fish")),
    "star": ("⭐", _l("star")),
    "apple": ("🍎", _l("apple")),
    "boat": ("⛵", _l("boat")),
    "heart": ("❤️", _l("heart")),
    "moon": ("🌙", _l("moon")),
    "flower": ("🌼", _l("flower")),
    "cat": ("🐱", _l("cat")),
    "dog": ("🐶", _l("dog")),
    "fox": ("🦊", _l("fox")),
    "bear": ("🐻", _l("bear")),
    "panda": ("🐼", _l("panda")),
    "lion": ("🦁", _l("lion")),
    "tiger": ("🐯", _l("tiger")),
    "frog": ("🐸", _l("frog")),
    "owl": ("🦉", _l("owl")),
    "penguin": ("🐧", _l("penguin")),
    "rabbit": ("🐰", _l("rabbit")),
    "koala": ("🐨", _l("koala")),
    "monkey": ("🐵", _l("monkey")),
    "turtle": ("🐢", _l("turtle")),
    "whale": ("🐳", _l("whale")),
    "octopus": ("🐙", _l("octopus")),
    "butterfly": ("🦋", _l("butterfly")),
    "bee": ("🐝", _l("bee")),
    "ladybug": ("🐞", _l("ladybird")),
    "snail": ("🐌", _l("snail")),
    "hedgehog": ("🦔", _l("hedgehog")),
    "unicorn": ("🦄", _l("unicorn")),
    "dolphin": ("🐬", _l("dolphin")),
    "elephant": ("🐘", _l("elephant")),
    "giraffe": ("🦒", _l("giraffe")),
    "zebra": ("🦓", _l("zebra")),
    "horse": ("🐴", _l("horse")),
    "duck": ("🦆", _l("duck")),
    "chick": ("🐤", _l("chick")),
    "mouse": ("🐭", _l("mouse")),
    "hamster": ("🐹", _l("hamster")),
    "crab": ("🦀", _l("crab")),
}


def picture(key: str) -> str:
    return PICTURES.get(key, ("❓", key))[0]


def picture_name(key: str) -> str:
    return str(PICTURES.get(key, ("❓", key))[1])
