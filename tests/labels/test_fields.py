"""Template wording filters: the run-in nutrition keeps every word, footnote included, on one paragraph."""
from studio.labels.fields import plain_text, substitute


def test_run_in_sets_the_footnote_after_the_last_row_with_the_same_words():
    value = "Energi total 140 kkal (7%*)\n*Persen AKG berdasarkan kebutuhan energi 2150 kkal."
    spans, unknown, empty = substitute("<b>Gizi:</b> ${nutrition|run_in}", {"nutrition": value})
    text = plain_text(spans)
    assert "\n" not in text and not unknown and not empty
    assert text.split() == ["Gizi:"] + value.split()
