"""Ids no row can have, in every URL that carries an id, with every method the route takes: 404, never a 5xx."""

import re

import pytest

HOSTILE_IDS = ("0", str(2**31), str(2**63), str(2**64), "9" * 5000, "٣")  # "٣": an Arabic-Indic 3
BLUEPRINTS = ("assemblies", "booth", "classes", "federation", "messages", "polls", "register", "reports", "schools",
              "tablet", "treasury", "year")
INT_PARAMETER = re.compile(r"<int(?:\([^)]*\))?:(\w+)>")
OTHER_PARAMETER = re.compile(r"<any\((\w+)[^>]*>|<(?:\w+:)?\w+>")


def urls_with(rule: str, hostile: str) -> list[str]:
    """One URL for each id of the rule: that id hostile, any other id 1, any other part its first allowed value."""
    urls = []
    for name in INT_PARAMETER.findall(rule):
        url = INT_PARAMETER.sub(lambda match, name=name: hostile if match.group(1) == name else "1", rule)
        urls.append(OTHER_PARAMETER.sub(lambda match: match.group(1) or "x", url))
    return urls


def routes_with_ids(app) -> list:
    return [rule for rule in app.url_map.iter_rules() if INT_PARAMETER.search(rule.rule)]


def test_every_route_with_an_id_is_in_a_tried_blueprint(app):
    assert len(routes_with_ids(app)) >= 85
    assert {rule.endpoint.split(".")[0] for rule in routes_with_ids(app)} == set(BLUEPRINTS)


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_an_id_that_cannot_exist_is_not_found(app, world, educator, blueprint):
    answers = []
    for rule in routes_with_ids(app):
        if rule.endpoint.split(".")[0] != blueprint:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for hostile in HOSTILE_IDS:
                answers += [(method, url[:80], educator.client.open(url, method=method).status_code)
                            for url in urls_with(rule.rule, hostile)]
    assert answers and [answer for answer in answers if answer[2] != 404] == []


def test_ids_are_read_as_ascii_digits_within_the_database_range(app, world, educator):
    pupil = world.pupil
    assert educator.client.get(f"/classes/{world.cooperative.id}").status_code == 200
    assert educator.client.get(f"/classes/0{world.cooperative.id}").status_code == 200  # a leading zero is harmless
    assert educator.client.post(f"/classes/pupils/{2**31 - 1}/unlock").status_code == 404
    assert educator.client.post(f"/classes/pupils/{pupil.id}/unlock").status_code == 302
