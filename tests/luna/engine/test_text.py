from luna.engine.text import contains, fold, patterns, words


def test_fold_strips_accents_case_and_typographic_apostrophes():
    assert fold("Qu’est-ce QUI rend Œuvre Différente…") == (
        "qu'est-ce qui rend oeuvre differente..."
    )


def test_words_split_on_apostrophes_and_hyphens():
    assert words("M’expliquer les mots-clés") == [
        "m",
        "expliquer",
        "les",
        "mots",
        "cles",
    ]


def test_keywords_match_whole_words_only():
    assert not contains("c'est durable", patterns(["dur"]))
    assert not contains("I booked a call", patterns(["go", "ok"]))
    assert contains("c'est dur", patterns(["dur"]))


def test_a_star_matches_word_prefixes_and_phrases_match_in_sequence():
    assert contains("Je suis très motivée", patterns(["motive*"]))
    assert contains("Qu'est-ce qui change ?", patterns(["qu'est-ce qui"]))
    assert not contains("qui est-ce", patterns(["qu'est-ce qui"]))
