"""Page structure: where quotations start and end, numbered steps, what each unit answers.

All copy here was written for these tests; none of it is taken from a website or the dev set.
"""

from __future__ import annotations

from pathlib import Path

from claimledger.copy.documents import read_document
from claimledger.copy.structure import Unit, page_units
from claimledger.textutil import segment


def units(text: str, kind: str = "txt") -> list[Unit]:
    return list(page_units(text, kind))


def role_of(us: list[Unit], start: str) -> str:
    (u,) = [u for u in us if u.sentence.startswith(start)]
    return u.role


def test_a_quotation_with_its_speaker_after_it_closes_there() -> None:
    page = (
        '"Every new pill came with the same promise: give it six weeks," says Maria. '
        "Ketamine is given as an infusion over 40 minutes. Most patients need six sessions.\n"
    )
    us = units(page)
    assert role_of(us, '"Every new pill') == "quote"
    assert role_of(us, "Ketamine is given") == "body"
    assert role_of(us, "Most patients") == "body"


def test_a_quotation_signed_after_its_closing_mark_closes_there() -> None:
    page = (
        '"Four infusions in, the fog lifted. This works, people." — shared by J., 34\n\n'
        "Pricing\n\n"
        "Each infusion costs $450.\n"
    )
    us = units(page)
    assert role_of(us, '"Four infusions') == "quote"
    assert role_of(us, "This works") == "quote"
    assert role_of(us, "Each infusion costs") == "body"


def test_a_quotation_never_runs_past_a_heading_or_a_new_paragraph() -> None:
    page = (
        '"I had tried everything. Nothing stuck.\n\n'  # the writer forgot the closing mark
        "The infusion takes about 40 minutes.\n\n"
        "Is it safe?\n\n"
        "Blood pressure rises briefly during the dose.\n"
    )
    us = units(page)
    assert role_of(us, "Nothing stuck") == "quote"
    assert role_of(us, "The infusion takes") == "body"
    assert role_of(us, "Blood pressure") == "body"


def test_a_multi_paragraph_quotation_reopens_each_paragraph() -> None:
    page = '"I was low for years.\n\n"Then, after the second infusion, it lifted." — Jo\n'
    us = units(page)
    assert [u.role for u in us][:2] == ["quote", "quote"]


def test_a_closing_quote_stays_with_its_sentence() -> None:
    copy = '"It felt like a door opened." "Six months on, I am still well." — client\n'
    assert [s for *_, s in segment(copy)] == [
        '"It felt like a door opened."',
        '"Six months on, I am still well." — client',
    ]


def test_a_numbered_step_keeps_its_number_and_its_intro() -> None:
    page = (
        "A typical course looks like this:\n"
        "  1. Two preparation sessions, where we set intentions.\n"
        "  2. Three medicine sessions, where you take a lozenge under your tongue.\n"
    )
    assert [s for *_, s in segment(page)] == [
        "A typical course looks like this:",
        "1. Two preparation sessions, where we set intentions.",
        "2. Three medicine sessions, where you take a lozenge under your tongue.",
    ]
    us = units(page)
    assert [u.role for u in us] == ["intro", "item", "item"]
    assert us[2].context == "A typical course looks like this:"
    assert us[2].norm.startswith("Three medicine sessions")


def test_an_answer_that_leans_on_its_question_is_read_with_it() -> None:
    page = (
        "Is it addictive?\n\n"
        "Not the way we use it in the clinic.\n\n"
        "How long does a visit take?\n\n"
        "Plan to be with us for about two hours from arrival.\n\n"
        "Does it help pain?\n\n"
        "Several small trials found ketamine infusions eased nerve pain for weeks afterwards.\n"
    )
    us = units(page)
    ctx = {u.sentence: u.context for u in us if u.role == "body"}
    assert ctx["Not the way we use it in the clinic."] == "Is it addictive?"
    assert ctx["Plan to be with us for about two hours from arrival."] == ""
    assert (
        ctx["Several small trials found ketamine infusions eased nerve pain for weeks afterwards."]
        == ""
    )


def test_an_html_table_row_is_one_item_under_its_header_row(tmp_path: Path) -> None:
    page = tmp_path / "t.html"
    page.write_text(
        "<h2>What we treat</h2><table>"
        "<tr><th>Condition</th><th>What the evidence says</th></tr>"
        "<tr><td>Nerve pain</td><td>Small trials show relief for some weeks</td></tr>"
        "<tr><td>Migraine<td>Case reports only</tr>"  # end tags left out, as HTML allows
        "</table><table><tr><td><p>A one-cell call-out box.</p></td></tr></table>"
    )
    doc = read_document(page)
    assert "| Nerve pain | Small trials show relief for some weeks |" in doc.text
    us = list(page_units(doc.text, doc.kind, doc.roles))
    rows = {u.norm: (u.role, u.context) for u in us}
    header = "Condition What the evidence says"
    assert rows[header][0] == "intro"
    assert rows["Nerve pain Small trials show relief for some weeks"] == ("item", header)
    assert rows["Migraine Case reports only"] == ("item", header)
    assert rows["A one-cell call-out box."][0] == "body"


def test_a_table_row_stays_one_unit_whatever_its_cells_hold(tmp_path: Path) -> None:
    """A comparison row is one unit under its header: a question in the first cell, a full
    stop inside a cell, and paragraphs, list items or breaks inside a cell do not cut it."""
    md = "| | Ketamine | SSRIs |\n|---|---|---|\n| How fast? | Hours. Often a day. | 4-6 weeks |\n"
    rows = [u for u in units(md, "md") if u.role == "item" and u.norm]
    assert [u.norm for u in rows] == ["How fast? Hours. Often a day. 4-6 weeks"]
    assert rows[0].context == "Ketamine SSRIs"
    page = tmp_path / "t.html"
    page.write_text(
        "<table><thead><tr><th></th><th>Ketamine</th><th>SSRIs</th></tr></thead><tbody>"
        "<tr><td><p>Onset?</p></td><td><p>Within hours.</p><p>Most feel it that day.</p></td>"
        "<td>Four to<br>six weeks.<br>Sometimes longer.</td></tr>"
        "<tr><td>Visits</td><td><ul><li>6 infusions</li><li>boosters</li></ul></td><td>None</td>"
        "</tr></tbody></table>"
    )
    doc = read_document(page)
    assert (
        "| Onset? | Within hours. Most feel it that day. | Four to six weeks. Sometimes longer. |"
        in doc.text
    )
    assert "| Visits | 6 infusions; boosters | None |" in doc.text
    us = [u for u in page_units(doc.text, doc.kind, doc.roles) if u.role == "item"]
    assert [u.context for u in us] == ["Ketamine SSRIs", "Ketamine SSRIs"]
    assert us[0].norm.startswith("Onset? Within hours.") and us[0].norm.endswith("longer.")


def test_an_html_table_without_a_header_row_introduces_nothing(tmp_path: Path) -> None:
    """A first row of <td> that names columns is a header; one with prices or sentences is the
    first data row, so it is no context for the rows under it."""
    page = tmp_path / "t.html"
    page.write_text(
        "<h2>Packages</h2><table><tr><td>Basic</td><td>4 infusions</td><td>$1,890</td></tr>"
        "<tr><td>Reset</td><td>6 infusions and therapy</td><td>$2,950</td></tr></table>"
        "<h2>Plans</h2><table><tr><td>Plan</td><td>Price</td></tr>"
        "<tr><td>Starter</td><td>$249 a month</td></tr></table>"
    )
    doc = read_document(page)
    rows = {u.norm: (u.role, u.context) for u in page_units(doc.text, doc.kind, doc.roles)}
    assert rows["Basic 4 infusions $1,890"] == ("item", "Packages")
    assert rows["Reset 6 infusions and therapy $2,950"] == ("item", "Packages")
    assert rows["Plan Price"][0] == "intro"
    assert rows["Starter $249 a month"] == ("item", "Plan Price")


def test_a_table_without_outer_bars_is_rows_under_its_header() -> None:
    """GitHub Markdown and plain-text copy write tables without bars at the row ends; a run of
    lines with the same cells (a blank line between rows allowed), or a header over a delimiter
    row, is a table. A lone line of fields (a byline, a menu) is not."""
    txt = (
        "Home | Pricing | Contact\n\nBy Dr. Lee | Updated May 2026\n\n"
        "Feature | Ketamine | TMS\n\nSpeed of effect | Hours to days | Several weeks\n\n"
        "Drive yourself home? | No | Yes\n"
    )
    us = {u.norm: (u.role, u.context) for u in units(txt)}
    assert us["Feature Ketamine TMS"][0] == "intro"
    assert us["Speed of effect Hours to days Several weeks"] == ("item", "Feature Ketamine TMS")
    assert us["Drive yourself home? No Yes"] == ("item", "Feature Ketamine TMS")
    assert us["By Dr. Lee | Updated May 2026"][0] == "heading"
    signed = (
        '"I felt like myself again." — Maria | Austin\n"It worked fast." — Jo | Dallas\n'
        '"Life changing." — Sam | Reno\n\nHarbor Ketamine | 12 Main St | Austin, TX\n'
        "Call us | (555) 555-0100 | Mon-Fri\n© 2026 Harbor Clinic | Privacy | Terms\n"
    )
    assert not any(u.table_row for u in units(signed))  # testimonials and a footer: no table
    assert {u.role for u in units(signed) if u.norm.startswith('"')} == {"quote"}
    md = "Protocol | Duration\n--- | ---\nBooster infusion | 2 hours. Every few weeks\n"
    rows = [u for u in units(md, "md") if u.norm]
    assert [(u.norm, u.role) for u in rows] == [
        ("Protocol Duration", "intro"),
        ("Booster infusion 2 hours. Every few weeks", "item"),
    ]


def test_a_layout_table_keeps_its_cells_as_lines(tmp_path: Path) -> None:
    """A table of one row (a band of figures) and a row with a long column (an e-mail's two
    columns) are layout: their cells and paragraphs are lines, not one row."""
    page = tmp_path / "t.html"
    long = "Our clinic opened this spring and has welcomed many new patients. " * 6
    page.write_text(
        "<table><tr><td>1,200+ infusions given</td><td>83% report feeling better</td></tr></table>"
        f"<table><tr><td><p>{long}</p><p>Read the full story.</p></td><td>Side note.</td></tr>"
        "<tr><td>a</td><td>b</td></tr></table>"
    )
    lines = read_document(page).text.splitlines()
    assert "1,200+ infusions given" in lines and "83% report feeling better" in lines
    assert "Read the full story." in lines


def test_what_the_treatment_spares_the_patient_is_not_the_subject() -> None:
    page = (
        "Why patients choose ketamine\n\n"
        "- No daily pills, no weight gain, no emotional blunting\n\n"
        "There is no evidence that SSRIs work within hours.\n"
    )
    about = {u.norm: u.treatment for u in units(page, "md")}
    assert about["No daily pills, no weight gain, no emotional blunting"] == "ketamine"
    assert about["There is no evidence that SSRIs work within hours."] == "ssri"


def test_each_unit_knows_the_heading_of_its_section() -> None:
    page = "# Meet Our Team\n\nDr. Reyes has led the clinic since 2019.\n\n## Is it safe?\n\nMostly, yes.\n"
    heads = {u.norm: u.heading for u in units(page, "md")}
    assert heads["Dr. Reyes has led the clinic since 2019."] == "Meet Our Team"
    assert heads["Mostly, yes."] == "Is it safe?"
    assert heads["Meet Our Team"] == ""


def test_plain_lines_under_an_intro_are_its_list_not_headings() -> None:
    page = (
        "Side Effects\n\n"
        "After a dose some people notice:\n\n"
        "a heavy, floating feeling\n\n"
        "blurry vision for a while\n\n"
        "Both fade within the hour.\n\n"
        "Getting Here\n\n"
        "WHAT WE CHECK\n\n"
        "  Blood pressure before and after each dose\n"
        "  Oxygen levels throughout\n"
    )
    us = units(page)
    assert role_of(us, "Side Effects") == "heading"
    assert role_of(us, "a heavy, floating") == "item"
    assert role_of(us, "blurry vision") == "item"
    (item,) = [u for u in us if u.sentence.startswith("blurry")]
    assert item.context == "After a dose some people notice:"
    assert role_of(us, "Both fade") == "body"
    assert role_of(us, "Getting Here") == "heading"  # the list ended at a full sentence
    assert role_of(us, "WHAT WE CHECK") == "heading"
    assert role_of(us, "Blood pressure before") == "item"  # indented: a list written by hand
    assert role_of(us, "Oxygen levels") == "item"


def test_a_lone_acronym_in_a_list_is_an_item_not_a_heading() -> None:
    # a reviewer's case: "PTSD" in capitals ended the list and became a heading
    page = (
        "Ketamine may be offered for:\n\n"
        "treatment-resistant depression\n\n"
        "PTSD\n\n"
        "chronic nerve pain\n\n"
        "OUR CLINIC HOURS\n\n"
        "Open weekdays from nine.\n"
    )
    us = units(page)
    assert role_of(us, "PTSD") == "item"
    assert role_of(us, "chronic nerve pain") == "item"  # the list goes on past it
    assert role_of(us, "OUR CLINIC HOURS") == "heading"  # two words or more in capitals


def test_a_lone_word_in_capitals_after_a_list_heads_what_follows() -> None:
    # a reviewer's case: "SAFETY" after an unmarked list was read as its last item, and the
    # sections below lost their heading
    page = (
        "Ketamine may be offered for:\n\n"
        "treatment-resistant depression\n\n"
        "chronic nerve pain\n\n"
        "SAFETY\n\n"
        "Ketamine is safe and has no side effects.\n\n"
        "mood\n\n"
        "FAQ\n\n"
        "What To Expect\n\n"
        "Most sessions last about forty minutes.\n"
    )
    us = units(page)
    assert role_of(us, "SAFETY") == "heading"
    (body,) = [u for u in us if u.sentence.startswith("Ketamine is safe")]
    assert body.heading == "SAFETY"
    assert role_of(us, "FAQ") == "heading"
    assert role_of(us, "What To Expect") == "heading"


def test_indentation_counts_beyond_the_pages_own() -> None:
    # a pasted e-mail indents every paragraph: its headings stay headings; a line set in
    # further is still a list's
    page = (
        "    Why Ketamine\n\n"
        "    Ketamine eased depression within hours in several trials.\n\n"
        "    What To Bring\n\n"
        "    Please bring the following.\n"
        "      A list of your medicines\n"
    )
    us = units(page)
    assert role_of(us, "Why Ketamine") == "heading"
    assert role_of(us, "What To Bring") == "heading"
    assert role_of(us, "A list of your medicines") == "item"
