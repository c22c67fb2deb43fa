"""The claim model's feature names: the prefixes of the columns ``page_features`` builds from
a page's other units (neighbours, section- and page-mates), its role crossings and interactions,
and which features each of those reads. Shared by the linear model (copy/claimmodel.py) and the
trees' runtime (copy/claimtrees.py), which builds the same columns: one definition, so the two
cannot drift, and no import cycle (claimmodel loads the trees). Pure.
"""

from __future__ import annotations

__all__ = [
    "CLAIM_CONTENT",
    "CROSS",
    "CROSSED",
    "CROSSED_MEANING",
    "CROSSED_ROLES",
    "INTERACT",
    "LINE_FRAMES",
    "MATES",
    "MEANING",
    "NEIGHBOUR",
    "NEIGHBOURS",
    "PAGE",
    "SECTION",
    "SHRINK",
]

MEANING = "emb:"  # feature-name prefix of the sentence vector's components
NEIGHBOUR = "nb:"  # prefix of the neighbours' mean features
NEIGHBOURS = 1  # how many units on each side count as neighbours
SECTION = "sec:"  # prefix of the mean features of the other units under the same heading
PAGE = "pg:"  # prefix of the mean features of the page's other units (its genre)
CROSS = "x:"  # prefix of a feature read only in one page role ("x:heading*efficacy_word")

# A feature means something different in a headline, a bullet or a patient's quotation than in
# body text ("Rapid Relief" is a claim as a headline; "I had panic attacks" sets a testimonial's
# scene): these roles get their own weight for the features that decide a claim. The model is
# otherwise linear, so without the crossing one weight serves every role.
CROSSED_ROLES = ("heading", "item", "quote")
CROSSED = (
    "rule", "efficacy_word", "effect", "cond", "named", "subject:product", "subject:other",
    "clause", "capitalised", "hedge", "digit", "cue:effect_verb", "cue:finding_verb",
    "cue:clinical_noun", "cue:first_person_singular", "cue:evaluative_copula", "subj:speaker",
    "cue:negation", "cue:timeframe", "cue:percent",
    # structure_features: what kind of line it is means most with its role ("Safe." as a
    # headline; "I was terrified" inside a quotation)
    "frag:stopped", "frag:tagline", "frag:bare", "head:wh", "mood:benefit_imperative",
    "tense:past", "narr:first_past", "subj:condition", "agent:by", "price", "table_row",
    "frag:outcome", "frag:outcome_about", "line:degree", "line:count",
    # who the subject is and what mood a line is in mean something else in a quotation ("The
    # nurses made me feel safe": a patient on the care, not a claim), a list item (steps and
    # instructions) or a headline than in body text
    "subj:staff", "subj:clinic", "subj:reader", "subj:population", "subj:evidence",
    "subj:treatment", "mood:imperative", "mood:obligation", "cue:second_person",
    "cue:first_person_plural", "business_section", "logistics", "answer",
)  # fmt: skip
# The sentence's meaning also gets its own weights in these roles ("x:heading*emb:000" ...): a
# headline's words mean something else than a body sentence's ("Real People, Real Change" is a
# testimonials section's label; "Relief In Hours, Not Weeks" a claim). Own meaning only, not
# the neighbours' (leaving one writer out, 309 documents: AUC 0.9748 -> 0.9755; the newest
# writer sets 285-304 0.9710 -> 0.9713 and 305-324 0.9705 -> 0.9716; headings 0.963 -> 0.967).
CROSSED_MEANING = CROSSED_ROLES


# Claim words mean something else in a line that tells the reader what to do, asks, speaks for
# the clinic, sells a service or shouts in capitals than in a statement about a treatment
# ("Ask us how ketamine can ease depression" against "Ketamine can ease depression"). The model
# is linear, so one weight served "effect" in both; these products ("ix:effect*mood:imperative",
# claimmodel.interaction_features) give each pairing its own. The unit's own only, as the role crossing
# (not its neighbours', section- or page-mates'). Leaving one writer out (benchmarks/
# train_claims.py --quick --without ix:, 1,004 documents, 101 writer folds, both rows one run):
# AUC 0.9814 -> 0.9821; each writer at its own threshold found 17626 -> 17685 of 19,172 with
# false alarms 1620 -> 1561 of 28,716; at 0.55 the sets held back in session 20 748 -> 745 of 823
# found, 93 -> 86 of 1,716 false alarms; seeds 198/32 -> 197/31.
INTERACT = "ix:"
CLAIM_CONTENT = (
    "effect", "cond", "efficacy_word", "named", "cue:effect_verb", "cue:finding_verb",
    "cue:timeframe", "cue:percent", "rule", "subj:treatment", "cue:clinical_noun",
    "cue:evidence_subject",
)  # fmt: skip
LINE_FRAMES = (
    "mood:imperative", "mood:obligation", "question", "subj:clinic", "subj:reader", "subj:staff",
    "subj:speaker", "logistics", "business_section", "furniture_words", "hedge", "price",
    "digit", "cue:second_person", "cue:first_person_plural", "cue:first_person_singular",
    "tense:past", "capitalised", "no_lower", "context", "cue:seo_framing", "cue:service",
    "cue:call_to_action", "cue:negation", "cue:modal", "clause",
)  # fmt: skip


# What a section-mate or page-mate contributes ("sec:", "pg:"): its role, subject, mood, cue
# families and verdicts, not its topics or meaning (half the columns, the same figure leaving
# one writer out: AUC 0.9719 against 0.9724 with every feature)
MATES = (
    "rule", "role:", "subj:", "subject:", "mood:", "cue:", "effect", "cond", "efficacy_word",
    "hedge", "clause", "question", "named", "logistics", "furniture_words", "business_section",
    "overstated_claim", "capitalised", "digit", "answer", "context", "intro_context",
    "reference", "attribution", "in_progress", "no_lower", "frame:",
)  # fmt: skip
# Short-page guard: a page's or section's mates count as if SHRINK more mates of the average
# page (the training units' mean, ClaimModel.prior) stood beside them, so three lines of
# instructions do not read a boxed-warning line as instructions: with m mates the context
# carries m / (m + SHRINK) of its weight (2 mates: 2/7; 40 mates: 0.89). Where on the page a
# unit sits (found7's opening / closing lines) is left out: on a short page every line is both.
SHRINK = 5.0
