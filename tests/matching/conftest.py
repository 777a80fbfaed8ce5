"""A dozen known checks, paraphrased queries for them, and one e5 index for the module."""

import pytest

from annotations.matching import MatchIndex, embed_passages

CHECKS = [
    (
        101,
        "Drinking hot water every 15 minutes kills the coronavirus in the throat. "
        "Does Drinking Hot Water Kill the Coronavirus?",
    ),
    (
        102,
        "Bill Gates plans to implant microchips in people through COVID-19 vaccines. "
        "Is Bill Gates Putting Microchips in Vaccines?",
    ),
    (
        103,
        "The Eiffel Tower was sold twice by a con man named Victor Lustig. "
        "Did a Con Artist Sell the Eiffel Tower Twice?",
    ),
    (
        104,
        "Wind turbines cause cancer in people who live near them. Do Wind Turbines Cause Cancer?",
    ),
    (
        105,
        "Australia's bushfires were started by arsonists, not climate change. "
        "Were the Australian Fires Caused by Arson?",
    ),
    (
        106,
        "Canada's public broadcaster cut Donald Trump's cameo from Home Alone 2. "
        "Did the CBC Edit Trump Out of 'Home Alone 2'?",
    ),
    (
        107,
        "Eating carrots greatly improves your night vision. Do Carrots Help You See in the Dark?",
    ),
    (
        108,
        "The Great Wall of China is visible from the Moon with the naked eye. "
        "Can You See the Great Wall of China From Space?",
    ),
    (109, "5G mobile networks spread the coronavirus. Do 5G Towers Spread COVID-19?"),
    (
        110,
        "Finland has abolished teaching subjects such as maths and history in schools. "
        "Is Finland Scrapping School Subjects?",
    ),
    (
        111,
        "Unemployment among Black Americans fell to its lowest level ever recorded. "
        "Did Black Unemployment Hit a Record Low?",
    ),
    (
        112,
        "A shark was photographed swimming on a flooded highway after a hurricane. "
        "Is This a Shark Swimming on a Flooded Highway?",
    ),
]

#: Paraphrases that share few words with their check, and the id each should find first.
PARAPHRASES = [
    ("Sipping warm water regularly washes the virus out of your throat", 101),
    ("They want to put tracking chips in us with the covid jab, says Microsoft founder", 102),
    ("Living close to a wind farm gives you tumours", 104),
    ("The fires in Australia were lit on purpose by firebugs", 105),
    ("CBC removed the president's scene from the Christmas movie", 106),
    ("Astronauts can spot the Great Wall from the lunar surface", 108),
    ("Phone masts are behind the spread of the virus", 109),
    ("Finnish schools are dropping subjects like mathematics", 110),
]


@pytest.fixture(scope="session")
def check_vectors():
    return embed_passages([text for _, text in CHECKS])


@pytest.fixture(scope="session")
def index(check_vectors):
    return MatchIndex.build(CHECKS, check_vectors)
