"""Reading and splitting: each sentence or line of copy becomes one unit, not half of one and not
two run together (benchmarks/reader_coverage.py counts this on the dev pages).

All copy here was written for these tests; none of it is taken from a website or the dev set.
"""

from __future__ import annotations

from pathlib import Path

from claimledger.copy.documents import read_document
from claimledger.copy.structure import page_units
from claimledger.textutil import segment


def sentences(text: str, kind: str = "txt") -> list[str]:
    return [" ".join(s.split()) for *_, s in segment(text, kind)]


def test_a_text_list_without_markers_is_one_item_a_line() -> None:
    # the page's prose says how wide it is wrapped: these lines end well short of it
    page = (
        "Ketamine is given slowly through a drip in a quiet room, and a nurse stays with you for "
        "the whole session and for the half hour of rest that follows it.\n\n"
        "During an infusion you may notice:\n"
        "    a floating or dreamy feeling\n"
        "    mild nausea\n"
        "    a short rise in blood pressure that we watch throughout\n"
        "    tiredness later in the day\n"
    )
    assert sentences(page)[1:] == [
        "During an infusion you may notice:",
        "a floating or dreamy feeling",
        "mild nausea",
        "a short rise in blood pressure that we watch throughout",
        "tiredness later in the day",
    ]
    units = list(page_units(page))
    assert [u.role for u in units][1:] == ["intro", "item", "item", "item", "item"]
    assert units[3].context == "During an infusion you may notice:"


def test_a_wrapped_text_paragraph_stays_one_sentence() -> None:
    page = (
        "Most people who come to us have tried two or more antidepressants without\n"
        "enough relief, and many have also tried talk therapy for a year or longer.\n"
        "Ketamine is given slowly through a drip, and a nurse stays with you for\n"
        "the whole session and the recovery time that follows it.\n"
    )
    assert sentences(page) == [
        "Most people who come to us have tried two or more antidepressants without enough "
        "relief, and many have also tried talk therapy for a year or longer.",
        "Ketamine is given slowly through a drip, and a nurse stays with you for the whole "
        "session and the recovery time that follows it.",
    ]


def test_text_copied_from_a_narrow_pdf_column_stays_joined() -> None:
    # a proportional font: filled lines fall a few letters short of the longest
    page = (
        "Esketamine is a nasal spray taken in the\n"
        "clinic with an oral antidepressant, under\n"
        "the watch of our nurses, who check your\n"
        "blood pressure before and after each dose.\n"
    )
    assert len(sentences(page)) == 1


def test_a_text_heading_over_a_figure_is_its_own_line() -> None:
    page = "What we saw last year\n64% of our patients finished their first series.\n"
    assert sentences(page) == [
        "What we saw last year",
        "64% of our patients finished their first series.",
    ]


def test_a_markdown_headline_over_its_paragraph_is_its_own_line() -> None:
    page = (
        "## Anxiety\n\n"
        "Calm Within A Day\n"
        "Small studies suggest ketamine may ease anxiety in some people.\n"
    )
    assert sentences(page, "md")[1:] == [
        "Calm Within A Day",
        "Small studies suggest ketamine may ease anxiety in some people.",
    ]


def test_a_wrapped_markdown_paragraph_stays_one_sentence() -> None:
    page = (
        "Spravato is a nasal spray that the FDA approved in 2019 for adults whose\n"
        "depression has not improved after trying at least two antidepressants.\n"
    )
    assert len(sentences(page, "md")) == 1


def test_a_markdown_quotation_and_its_attribution_are_apart() -> None:
    page = (
        '> "By the fourth visit I was sleeping through the night again."\n'
        ">\n"
        "> — Robin, client since spring\n\n"
        '> "I liked that every step was explained first."\n'
        "> — Sam\n"
    )
    got = sentences(page, "md")
    assert got[0] == '> "By the fourth visit I was sleeping through the night again."'
    assert got[1] == "> — Robin, client since spring"
    assert [s.lstrip("> ") for s in got[2:]] == [
        '"I liked that every step was explained first."',
        "— Sam",
    ]


def test_a_list_inside_a_markdown_quotation_is_one_item_a_line() -> None:
    page = (
        "> **In short**\n"
        "> - Most side effects pass within a couple of hours.\n"
        "> - A nurse checks your blood pressure throughout.\n"
    )
    assert sentences(page, "md") == [
        "> In short",
        "> - Most side effects pass within a couple of hours.",
        "> - A nurse checks your blood pressure throughout.",
    ]


def test_sentences_run_together_without_a_space_are_cut() -> None:
    page = "Ketamine is being studied for anxiety.Early results are mixed.\n"
    assert sentences(page) == ["Ketamine is being studied for anxiety.", "Early results are mixed."]
    # an abbreviation, an initial or a brand written with capitals inside is not a sentence end
    assert len(sentences("Compare ketamine vs.The older drugs at NeuroBloom.\n")) == 1
    assert len(sentences("Our founder, Dr. J.Mara Lee, trained in Boston.\n")) == 1


def test_an_html_glossary_gives_each_term_and_definition_a_line(tmp_path: Path) -> None:
    page = tmp_path / "glossary.html"
    page.write_text(
        "<html><body><h1>Words you may hear</h1><dl>"
        "<dt>Dissociation</dt> <dd>A sense of being detached from your body or surroundings; "
        "it usually fades within an hour of an infusion.</dd>"
        "<dt>Booster</dt> <dd>A single infusion given weeks after the first series.</dd>"
        "</dl></body></html>",
        encoding="utf-8",
    )
    lines = [ln for ln in read_document(page).text.splitlines() if ln]
    assert lines[1:] == [
        "Dissociation",
        "A sense of being detached from your body or surroundings; it usually fades within an "
        "hour of an infusion.",
        "Booster",
        "A single infusion given weeks after the first series.",
    ]


def test_html_buttons_and_form_labels_are_lines_of_their_own(tmp_path: Path) -> None:
    page = tmp_path / "landing.html"
    page.write_text(
        "<html><body><section><h1>Relief, Carefully Given</h1>"
        "<p>Ketamine can ease depression for some people within days.</p>"
        '<a class="btn btn-main" href="/book">Book a consultation</a>'
        '<a class="btn" href="tel:5550100">Call 555-0100</a></section>'
        "<form><label>Your name</label><input name='n'><label>Phone</label><input name='p'>"
        "<button>Send</button></form>"
        '<p>Read <a href="/faq">our answers</a> first.</p></body></html>',
        encoding="utf-8",
    )
    lines = [ln for ln in read_document(page).text.splitlines() if ln]
    assert lines == [
        "Relief, Carefully Given",
        "Ketamine can ease depression for some people within days.",
        "Book a consultation",
        "Call 555-0100",
        "Your name",
        "Phone",
        "Send",
        "Read our answers first.",
    ]


def test_collapsed_faq_answers_are_read_with_their_questions(tmp_path: Path) -> None:
    # synthetic accordion markup of the common shapes: <details>/<summary>, a button with
    # aria-expanded="false" over a hidden panel, a panel hidden by an inline style, and a
    # page builder's tab title and content; a browser hides the answers until a click, but
    # they are published copy and each answer is read with its question as context
    page = tmp_path / "faq.html"
    page.write_text(
        "<html><body><h1>Questions</h1>"
        "<details><summary>Is ketamine safe?</summary>"
        "<p>Ketamine is safe for most adults under medical supervision.</p></details>"
        '<div class="accordion"><button class="accordion-button collapsed" '
        'aria-expanded="false" aria-controls="a2">How fast does it work?</button>'
        '<div id="a2" class="accordion-collapse collapse" hidden>'
        '<div class="accordion-body">Many patients feel better within hours.</div></div></div>'
        '<div class="faq-item"><h3 role="button" aria-expanded="false">Does it last?</h3>'
        '<div class="faq-a" style="display:none">Relief often lasts a week or more.</div></div>'
        '<div class="tab-title" data-tab="4"><a href="">Who is it for?</a></div>'
        '<div class="tab-content" data-tab="4"><p>Adults with depression that two '
        "medicines have not helped.</p></div></body></html>",
        encoding="utf-8",
    )
    d = read_document(page)
    units = [u for u in page_units(d.text, d.kind, d.roles) if u.role == "body"]
    assert [u.sentence for u in units] == [
        "Ketamine is safe for most adults under medical supervision.",
        "Many patients feel better within hours.",
        "Relief often lasts a week or more.",
        "Adults with depression that two medicines have not helped.",
    ]
    # the short answers lean on their questions (structure._elliptical)
    assert units[1].context == "How fast does it work?"
    assert units[2].context == "Does it last?"
    assert [u.heading for u in units] == [
        "Is ketamine safe?",
        "How fast does it work?",
        "Does it last?",
        "Who is it for?",
    ]


def test_a_question_in_bold_is_read_as_the_question_its_answer_needs() -> None:
    page = "## Questions\n\n**Is it habit-forming?**\nNot at the doses we use.\n"
    units = list(page_units(page, "md"))
    assert [u.role for u in units][1:] == ["question", "body"]
    assert units[2].context == "Is it habit-forming?"
    assert units[2].start == page.index("Not at")


# review 18: a Markdown soft line break is a space; a line is cut only on positive evidence
def test_a_markdown_soft_line_break_inside_a_sentence_is_a_space() -> None:
    for page in (
        "Our clinic offers\nKetamine infusions for treatment-resistant depression.\n",
        "Ketamine was approved by the FDA in\n1970 as an anaesthetic, and esketamine in 2019.\n",
        "Treatment is overseen by\nDr Ana Ruiz, who has given infusions since 2015.\n",
        "Most people need six\nInfusions over two or three weeks.\n",
    ):
        assert sentences(page, "md") == [" ".join(page.split())], page


def test_a_markdown_line_ended_early_is_cut_on_positive_evidence() -> None:
    # an intro line ending in a colon over an unmarked, indented list
    page = "Bring with you:\n  a photo ID\n  a list of your medicines\n"
    assert sentences(page, "md") == ["Bring with you:", "a photo ID", "a list of your medicines"]
    # a title-case line with no terminal punctuation over a sentence
    page = "What To Expect\nA nurse stays with you for the whole session.\n"
    assert sentences(page, "md") == [
        "What To Expect",
        "A nurse stays with you for the whole session.",
    ]


# review 18: a page mixing long unwrapped lines and wrapped ones is not shredded
def test_wrapped_text_under_long_unwrapped_lines_stays_joined() -> None:
    long = "This paragraph was pasted from a word processor and so it sits on one long line " * 3
    page = (
        f"{long.strip()}.\n{long.strip()}.\n"
        "Here is an email excerpt wrapped at seventy-two characters, as mail\n"
        "clients do, so that each sentence continues on the next line and a\n"
        "reader would expect it to be joined back into one sentence.\n"
    )
    assert sentences(page)[2:] == [
        "Here is an email excerpt wrapped at seventy-two characters, as mail clients do, so "
        "that each sentence continues on the next line and a reader would expect it to be "
        "joined back into one sentence."
    ]


def test_a_lower_case_text_continuation_joins_a_short_line() -> None:
    # the previous line need not be full: a lower-case line continues the sentence
    page = "Ketamine is given\nslowly through a drip in a quiet room with a nurse beside you.\n"
    assert len(sentences(page)) == 1
    page = "Your first series is six infusions over\n2 or 3 weeks, and most people then need boosters.\n"
    assert len(sentences(page)) == 1


# review 18: a full stop inside an abbreviation or a web address is not a sentence glued on
def test_abbreviations_and_web_addresses_are_not_glued_sentences() -> None:
    for page in (
        "Ask Mrs.Jones at the desk about ketamine.\n",
        "Prof.Lee leads our research team.\n",
        "Visit www.Example.org today.\n",
        "See ketamineclinic.Com for details.\n",
        "Our partner is KetaCare.Health in Ohio.\n",
        "Write to care@clinic.Example for a call back.\n",
        "Read more at example.org/ketamine.Faq for answers.\n",
    ):
        assert len(sentences(page)) == 1, page
    # a sentence glued on is still cut
    assert len(sentences("It is being studied for anxiety.Health plans rarely pay.\n")) == 2


def test_a_read_on_link_run_into_its_teaser_is_a_line_of_its_own() -> None:
    # a scraped blog index: the "Continue Reading" button glued to the next post's title
    page = "Continue ReadingWhy Our Infusion Suite Is a Game Changer for Low Mood\n"
    assert sentences(page) == [
        "Continue Reading",
        "Why Our Infusion Suite Is a Game Changer for Low Mood",
    ]
    assert sentences("Read MoreKetamine is studied for pain.\n") == [
        "Read More",
        "Ketamine is studied for pain.",
    ]
    # the same words inside a sentence, or before a lower-case word or a space, are not cut
    for page in (
        "We read more Studies than most clinics do.\n",
        "Learn moreabout your options at the desk.\n",
        "Continue Reading for the dosing table.\n",
    ):
        assert len(sentences(page)) == 1, page


def test_read_on_links_after_a_marker_another_link_or_before_any_capital_are_cut() -> None:
    # two buttons in a row, each its own line (no word boundary lies between "g" and "C")
    page = "Continue ReadingContinue ReadingWhy Infusions Feel Different\n"
    assert sentences(page) == [
        "Continue Reading",
        "Continue Reading",
        "Why Infusions Feel Different",
    ]
    for kind in ("txt", "md"):
        # a list item, and an invisible character before or after the button
        assert sentences("- Learn MoreSessions last forty minutes.\n", kind)[-1] == (
            "Sessions last forty minutes."
        ), kind
        assert sentences("\u200bRead MoreSessions last forty minutes.\n", kind)[-1] == (
            "Sessions last forty minutes."
        ), kind
        assert sentences("Read More\u200bSessions last forty minutes.\n", kind)[-1] == (
            "Sessions last forty minutes."
        ), kind
        # what it leads to begins with an acronym or a capital outside ASCII
        assert sentences("Learn MorePTSD Care at Our Centre\n", kind) == [
            "Learn More",
            "PTSD Care at Our Centre",
        ], kind
        assert sentences("Read MoreÉchos de nos patients\n", kind) == [
            "Read More",
            "Échos de nos patients",
        ], kind
    # a sentence in capitals that begins with the same letters is not cut
    assert len(sentences("READ ONE PAGE OF THE CONSENT FORM A DAY.\n")) == 1


def test_double_underscores_inside_a_word_are_not_emphasis() -> None:
    page = "Set snake__case__name in the form.\n"
    assert sentences(page, "md") == ["Set snake__case__name in the form."]
    assert sentences("This is __never__ given at home.\n", "md") == ["This is never given at home."]


def test_a_call_to_action_link_inside_a_sentence_keeps_the_sentence(tmp_path: Path) -> None:
    page = tmp_path / "cta.html"
    page.write_text(
        '<html><body><p>Ask us, or <a class="cta" href="/book">book a call</a> today.</p>'
        '<p><a href="/a">an unclosed link <p>More text.</p>'
        '<a class="btn" href="/b">Book now</a><p>Last line.</p>'
        '<div>Ketamine may help. <a class="btn" href="/c">Ask us how</a></div></body></html>',
        encoding="utf-8",
    )
    lines = [ln.strip() for ln in read_document(page).text.splitlines() if ln.strip()]
    assert lines[0] == "Ask us, or book a call today."
    assert "Book now" in lines
    assert lines[-3:] == ["Last line.", "Ketamine may help.", "Ask us how"]


def test_a_text_list_without_markers_or_indent_under_an_intro_is_one_item_a_line() -> None:
    page = (
        "Common side effects:\n\n"
        "nausea or vomiting\n"
        "dizziness and blurred vision\n"
        "a short rise in blood pressure\n\n"
        "WHO SHOULD NOT HAVE KETAMINE?\n"
        "    people with blood pressure that is not well controlled\n"
        "    people who are pregnant\n"
    )
    assert sentences(page) == [
        "Common side effects:",
        "nausea or vomiting",
        "dizziness and blurred vision",
        "a short rise in blood pressure",
        "WHO SHOULD NOT HAVE KETAMINE?",
        "people with blood pressure that is not well controlled",
        "people who are pregnant",
    ]


def test_a_list_item_that_carries_on_and_prose_after_a_colon_stay_joined() -> None:
    page = "You may notice:\n\nnausea that usually passes within an hour\nor two of the infusion\n"
    assert sentences(page)[1:] == [
        "nausea that usually passes within an hour or two of the infusion"
    ]
    page = (
        "Here is how it works:\n\n"
        "Ketamine is given slowly through a drip in a quiet\n"
        "room, and a nurse stays with you throughout.\n"
    )
    assert sentences(page)[1:] == [
        "Ketamine is given slowly through a drip in a quiet room, and a nurse stays with you "
        "throughout."
    ]


def test_bylines_speaker_labels_and_timetables_are_lines_of_their_own() -> None:
    page = "u/foggy_otter · 412 points\nWhat does ketamine actually feel like?\n"
    assert len(sentences(page, "md")) == 2
    page = "Visitor 9:31 PM\ndoes ketamine actually work for depression or is it hype\n"
    assert len(sentences(page)) == 2
    page = (
        "    10:00 Doors open, with coffee and pastries from Harbour Bakery\n"
        "    10:30 A talk on what ketamine can and cannot do for depression\n"
    )
    assert len(sentences(page)) == 2


def test_a_greeting_and_a_sign_off_are_lines_of_their_own() -> None:
    page = (
        "Dear friend,\nThank you for asking about ketamine.\n\nWarmly,\nDr. Ana Ruiz and the team\n"
    )
    assert sentences(page, "md") == [
        "Dear friend,",
        "Thank you for asking about ketamine.",
        "Warmly,",
        "Dr. Ana Ruiz and the team",
    ]
    # a comma at the end of a longer line is a soft line break in a sentence
    page = "Ketamine is given slowly, through a drip,\nKept at a low dose throughout.\n"
    assert len(sentences(page, "md")) == 1
