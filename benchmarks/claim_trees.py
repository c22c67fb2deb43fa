"""Would gradient-boosted trees beat the linear claim model? The ceiling, measured on writer folds.

The claim model (copy/claimmodel.py, trained by train_claims.py) is an L2 logistic regression
over hand-made unit features; its interactions (``ix:``, ``x:``) are hand-made too. Trees find
interactions themselves. This script fits, on the very matrix train_claims.py builds (``Design``),
and on the SAME grouped writer folds in one run:

- ``linear``: train_claims' logistic regression (``Design.folds``: the fold's exact minimum);
- ``trees``: LightGBM on the same columns, classes balanced as the linear model weighs them;
- ``linear+trees``: boosting on the linear model's logit (trees fitted to its residual: the
  fold's linear logit on its own training rows is the trees' starting score);
- ``blend``: the linear and the trees' out-of-fold logits averaged.

Folds: the writer sets outside FRESH dealt round into ``--folds`` groups (the seeds are one
writer), and FRESH (pages 1345-1454, which no rule author has read) one more group of its own:
every unit is scored by models that never saw its writer, and FRESH by models trained on
everything else. Each group's threshold is chosen (train_claims.threshold_for) on the
out-of-fold predictions of the other groups. Printed per model: AUC; found / false alarms on
filler at each group's own threshold, at the shipped rule threshold (0.55) and at the linear
model's found (the fewest false alarms that find as many claims) - for older dev (outside
FRESH), FRESH (aggregate only), the seeds and the filler-heavy sets.

Measured (session 22, 1,059 documents, 50,414 units, 1,804 features, 8 writer folds + FRESH, then
pages 1065-1114; "at equal found": the fewest false alarms on filler that find as many claims as
the linear model at its own thresholds). Each row's command (the linear row is printed by every run):

    C = python benchmarks/claim_trees.py --cache /tmp/NAME/claim_docs.pkl --rounds 300 --rate 0.1
    s7:        $C                                  (the defaults: --seed 7 --colsample 0.3)
    s11 .5:    $C --seed 11 --colsample 0.5 --only linear,trees,blend
    own:       $C --own-only --only linear,trees,blend
    linear+trees: the s7 run (--residual-rounds 150 --residual-rate 0.05, the defaults)

    model         AUC older  FA older @17685/19172  AUC FRESH  FA FRESH @927/988  seeds own t
    linear        0.9823     1569/28716             0.9790     108/1538           199/206, FA 35
    trees s7      0.9866     1212                   0.9851      98                194/206, FA 28
    trees s11 .5  0.9866     1187                   0.9853      84                196/206, FA 27
    blend s7      0.9859     1297                   0.9837      90                198/206, FA 34
    blend s11 .5  0.9859     1270                   0.9839      97                198/206, FA 32
    linear+trees  0.9826     1619                   0.9792     118                198/206, FA 34
    trees own     0.9850     1353                   0.9826     116                199/206, FA 35
    blend own     0.9851     1321                   0.9825     109                198/206, FA 31

(own: the trees without the nb:, sec:, pg: columns.) On older dev the gain is clear: false
alarms at equal found fall by about a quarter (1569 -> 1187-1212), far beyond the two tree
runs' spread (25). On FRESH it is not yet proven: 108 -> 84-98 for the trees, but the two runs
differ by 14 and the gain is 10-24 (1,538 filler units), and at each fold's own threshold FRESH
false alarms do not fall (trees 112 and 105, blend 126 and 121, against 108): the threshold rule
spends the gain on claims found (927 -> 933-942). The seeds lose 3-5 claims at the trees' own
threshold (the blend keeps them). The second setting (seed 11, colsample 0.5) was picked as a
robustness check after the s7 run was seen, FRESH included, and not tuned further: no other
setting was run. Boosting from the fold's in-sample linear logit gains nothing: on its own
training rows that logit is already sure, so the residual the trees see is not the one unseen
copy leaves. Not shipped: see the plan below.

How to ship the blend (the plan for the next session):
- FIRST, the threshold. train_claims' rule (threshold_for, FALSE_ALARM_COST 1.5) picks 0.45-0.5
  for the blend (0.55 linear) and turns the trees' gain into MORE false alarms on unseen copy:
  FRESH 108 -> 126 of 1538 (8.2%) for found 927 -> 942, against the issue's false-alarm target
  (<= 3%). At 0.55 the blend gives FRESH 928/988 with FA 90 (older 17644/19172, FA 1249 against
  linear's 17658 and 1548). Settle the rule (a higher FALSE_ALARM_COST, or a found target) before
  anything ships, and re-measure FRESH with it.
- The trees live in data/claim_trees.json (``flatten``'s node tables; feature names, not column
  numbers, plus the LightGBM version and parameters that made them); claim_model() loads them
  when present, and ClaimModel.page_probabilities blends: logit = 0.5 (linear logit + the
  trees' score) on ``page_features`` rows restricted to the split features (``evaluate``).
  claim_model.json keeps its format; only its threshold moves. No lightgbm at runtime.
- train_claims.py trains them after the linear fit on ``Design.x`` (classes balanced as
  ``_class_weights``, the parameters of this script, num_threads 1, deterministic,
  force_row_wise, fixed seeds; ``--speed`` checks two runs give the same bytes) and writes the
  file; lightgbm becomes a training-time extra ("trees" in pyproject, pinned to the version
  that wrote the shipped file so retrain.py --check compares bytes).
- Threshold folds: a tree fit per writer (about 110 writers x 30-50 s) is too slow for every
  retrain: take the trees' out-of-fold scores from the 8 grouped writer folds of this script
  (each kept on disk like "claim-folds") and the linear model's from its writer folds as now.
- train_overstated.py reads ``tc.fold_models`` (one linear ClaimModel per document) and
  ``tc.group_thresholds``: it needs instead each unit's out-of-fold blend probability (a
  function in train_claims returning, per document, its units' probabilities from the folds
  above) and the thresholds chosen on those.
- Speed: the trees read every unit's full feature row, which the linear model never builds.
  ``--speed 300``: 156 CPU ms per 5,000 words for the blend against 9 for the linear model
  (rows 119, numpy trees 28); check_speed.py --stages in the same hour: check_text 274 ms on
  5,015 words, so as built the blend adds about half of check's own time (the generated page's
  2.9x read+split would become about 4.4x; target 3x). Shipping needs the rows cheap: only the
  split features' columns straight into an array (no dicts), or fewer or shallower trees.
  Trees on the unit's own features only (the page context left to the linear part, cheap) are
  no way out: on FRESH they gain nothing (--own-only, above).

Session 23 (trees24): the plan's threshold rule and shipping machinery are built, the blend is
NOT shipped. The rule (train_claims.blend_threshold, the "found rule" column): the highest
threshold (0.01 steps) at which the blend's out-of-fold predictions find the share of claims
the linear model finds at its own threshold_for, i.e. the trees' gain spent on false alarms.
Measured on the new FRESH (pages 1115-1164, 999 claims, 1,779 filler units; 1,109 documents,
53,171 units, 1,808 features), s7 run, ``$C --only linear,trees,blend --save F.npz``:

    model   older dev+seeds (20142 claims, 30251 filler)   FRESH                  seeds
    linear  own t 0.55: found 18560, FA 1642              927, FA 153            198, FA 30
    blend   found rule 0.54: 18588, FA 1333               919, FA 134            195, FA 27
    blend   at linear's found: 18560, FA 1307             927, FA 146            198, FA 31

On older dev the gain holds (FA -20% at equal found). On FRESH it does not: the found rule's
0.54 finds 8 fewer claims, and the linear model at those 919 claims has 138 false alarms, not
153 (the blend sits on the linear curve: at found 905/910/915/919/923/927/935 the blend's FA
116/125/126/133/143/146/153 against linear's 115/123/133/138/144/153/164), and the seeds lose
3 claims at 0.54. The trees alone the same (FRESH at 927 found: FA 146). The second setting
(``--seed 11 --colsample 0.5``, fixed before this run, as in session 22): the found rule again
0.54, FRESH 917 found FA 128 (linear at 917: 138), at 927 found FA 141 (trees alone 130), seeds
195. So on FRESH -4 to -12 false alarms at equal found (of 1,779), inside the two settings'
spread: noise. End to end (copy_accuracy.py --no-baseline --docs 1115-1164, the shipped
session-22 linear model with and without the s7 trees fitted outside FRESH, --trees-file, at
0.54): found 912 -> 914 of 972, false alarms 153 -> 146 of 1616, right topic 711 -> 713,
overstatements 214 -> 215 of 248, flags on accurate claims 30 -> 31 of 724: noise too. The
older-dev gain is free of the scored writer but not unseen (its rules were written reading
those pages). The shipping code stays
(train_claims.py CLAIMS_TREES=1 writes data/claim_trees.json; the runtime blends when the file
is there; train_overstated.py reads train_claims.blend_folds), off by default.

Session 24 (trees25): SHIPPED (train_claims.py trains the trees by default; CLAIMS_TREES=0
turns them off). What ships, at the margin rule (below), on FRESH: found / false alarms
1609 / 202 -> 1624 / 188 (s7, the shipped setting) and 1617 / 171 (s11): false alarms -14 and
-31 of 2,491 while finding 15 and 8 more claims; found lower in 2 of 7 writer sets (-1 to -3);
seeds 197 / 30 -> 197 / 30 and 197 / 31. The ceiling (the same claims found, fewest false
alarms): 202 -> 168 and 164. The new FRESH (pages 1165-1234: 70 pages, seven writer sets, 1,696 claims,
2,491 filler units; 1,179 documents, 57,358 units, 1,810 features), both settings fixed in
session 22, ``$C --only linear,trees,blend --save F.npz`` (s7) and ``... --seed 11 --colsample
0.5``. "At equal found": the fewest false alarms finding the linear model's claims.

    FRESH (1696 claims, 2491 filler)   s7 found / FA       s11 .5 found / FA
    linear, own t 0.55                 1609 / 202          (the same model)
    blend at linear's found            1609 / 168          1609 / 164
    trees at linear's found            1609 / 159          1609 / 149
    blend, found rule (margin 0)       1604 / 166          1600 / 158
    blend, margin rule (below)         1624 / 188 (0.50)   1617 / 171 (0.52)
    blend, threshold_for (own t)       1624 / 188          1625 / 176
    seeds: linear 197 / 30; blend found rule 195 / 28 (both); margin rule 197 / 30 and 197 / 31
    older dev+seeds: linear 19449 / 1745 of 21141 / 32030; blend at equal found 1403 and 1391;
    margin rule 19677 / 1623 and 19591 / 1543

Per FRESH writer set (linear found/FA -> blend at equal found FA; s7 | s11): 1165-1174 217/28
-> 29 | 28; 1175-1184 245/30 -> 25 | 24; 1185-1194 234/19 -> 12 | 13; 1195-1204 277/36 -> 29 |
30; 1205-1214 199/42 -> 34 | 35; 1215-1224 238/16 -> 13 | 13; 1225-1234 199/31 -> 27 | 24: false
alarms fall in six of seven sets in both runs (the seventh +1 / 0), -34 and -38 in all (-17%,
-19%); the two settings differ by 4. Unlike session 23's FRESH (-4 to -12 of 1,779, inside the
settings' spread), this is a gain on most unseen writer sets, not one set's.

The threshold rule. The found rule (margin 0) again found fewer FRESH claims (-5, -9) and lost 2
seed claims in both runs: a pooled match of found is an average, and a new writer set lands
anywhere around it. The margin rule (train_claims.found_margin; here ``older_margin``, FRESH
left out): the smallest margin (0.001 steps) over the linear model's out-of-fold share at which
the blend finds as many claims as the linear model in EVERY older fold AND in the seeds (they
must not lose claims), each fold's thresholds chosen on the other older folds. Without the
seeds condition it chose 0.007 for both settings and the seeds still lost 2 (s7: FRESH 1617 /
178); with it, 0.010 (s7: every fold's threshold 0.50-0.51) and 0.006 (s11: 0.51-0.52).
At the margin rule, per FRESH set (found / FA, linear -> blend; s7 | s11): 1165-1174 217/28 ->
216/29 | 214/27; 1175-1184 245/30 -> 249/32 | 248/26; 1185-1194 234/19 -> 243/15 | 240/13;
1195-1204 277/36 -> 279/31 | 277/30; 1205-1214 199/42 -> 201/38 | 201/36; 1215-1224 238/16 ->
237/13 | 237/13; 1225-1234 199/31 -> 199/30 | 200/26: found not lower in five sets of seven
(the others -1 to -3), false alarms down in five (s7) and seven (s11). The rule spends part of
the trees' gain on claims found (FRESH 94.9% -> 95.8% and 95.3%, the issue's target 95%) and
part on false alarms (8.1% -> 7.5% and 6.9%). threshold_for on the blend (FALSE_ALARM_COST 1.5)
keeps the seeds too, but on older dev it raised false alarms in the s11 run (1745 -> 1771).
(Printed by ``$C --only linear,trees,blend --load F.npz`` at this code for both saved runs, s11
with ``--seed 11 --colsample 0.5``.)

End to end (the FRESH pages through check, the shipped session-23 linear model with the s7
trees fitted outside FRESH: ``$C --only linear,trees,blend --load F.npz --trees-file T.json``,
T.json copied to data/claim_trees.json for the second run of ``copy_accuracy.py --no-baseline
--docs 1165-1234``; its threshold, the margin rule's outside FRESH, 0.50): claims found 1592 ->
1625 of 1675, right topic 1283 -> 1312, overstatements flagged 273 -> 281 of 320, false alarms
on filler 212 -> 220 of 2264, flags on accurate claims 31 -> 31 of 1355. End to end the rule
spends the trees' gain on claims found (95.0% -> 97.0%) and false alarms rise by 8 (9.4% ->
9.7%). The same file at the linear model's 0.55 (read after the fact, NOT a rule: FRESH chose
nothing here): found 1599, right topic 1292, overstated 277, false alarms 190. The issue's
false-alarm gap is the wider one: a rule that spends the gain on false alarms on unseen copy
(and keeps the seeds' claims) is the open question for the next session.
Speed (``check_speed.py --trees T.json``, one run, the same hour): a 5,000-word check 201 ->
207 ms CPU, ratio to read + split 2.88 -> 2.97x (generated page), 3.95 -> 4.05x (joined dev
pages), 3.94 -> 4.07x (spread dev pages): the trees add 6-11 ms.

The false alarms left (out of fold, linear -> blend at the margin rule, s7 | s11; filler units
labelled none): FRESH body 114 -> 110 | 98 of 753, list items 51 -> 45 | 42 of 210, quotations
32 -> 30 | 28 of 80, intro lines 5 -> 1 | 1 of 63, headings 0 -> 2 | 2 of 599; 31 of the
linear model's 202 are reported by a wording rule whatever the model says. Older dev (outside
the seeds): body 1152 -> 1066 | 1011 of 12,125, items 343 -> 338 | 320 of 2,122, quotations 148
-> 137 | 131 of 690. Unseen copy's filler quotations (testimonials) and list items are the
kinds read as claims most often (40% and 24% of FRESH's; 21% and 16% of older dev's): the
"before" of a testimonial ("I had been on every SSRI there is.") and lists of services or of
conditions seen; the trees barely move them.

Session 25 (trees26): the threshold rule. Session 24's margin rule kept the seeds' claims too, and
those five documents set the shipped margin (0.025; the folds alone 0.003); on its 110 unseen
pages (now FRESH 1235-1344) false alarms rose 8.2% -> 11.7% of filler for found 93.0% -> 96.6%.
Four rules, every threshold chosen outside FRESH (``candidate_thresholds``; an older fold's on the
other older folds, FRESH's on all of them), the s7 setting, 1,289 documents, 63,436 units, 1,810
features, ``$C --only linear,trees,blend --save F.npz`` then ``--load F.npz``. The criterion was
written down before any FRESH figure was read: the fewest older-dev out-of-fold false alarms among
the rules under which NO older fold finds fewer claims than the linear model at its own threshold
(seeds reported, not enforced). Margin 0 ("found rule") and the fixed 92.5% (out-of-fold UNIT share;
pooled 92.6% < the linear model's 92.8%) fail it; the folds-only margin (0.005; with the seeds
0.015) has fewer false alarms than the seeds-kept margin: it is the rule chosen, and shipped.

    s7 (FRESH's threshold)             older dev+seeds (22837/34521)  FRESH (2018/4060)  seeds
    linear, own t (0.50)               21202 / 2083                   1877 / 330         199 / 34
    blend, margin+seeds (0.39, was)    21633 / 2277                   1917 / 374         199 / 36
    blend, folds only (0.45, chosen)   21406 / 1917                   1899 / 305         198 / 31
    blend, margin 0 (0.48)             21304 / 1772                   1883 / 282         197 / 31
    blend, found 92.5% (0.53)          21155 / 1604                   1862 / 237         197 / 30
    (found / false alarms on filler, out of fold; at the linear model's found the blend has 1657
    false alarms on older dev and 272 on FRESH: the ceiling)

Per FRESH writer set, found / false alarms, margin+seeds -> folds only: 1235-1244 171/39 -> 170/31;
1245-1254 193/29 -> 193/25; 1255-1264 197/57 -> 197/46; 1265-1274 141/31 -> 137/26; 1275-1284 117/35
-> 115/30; 1285-1294 179/39 -> 178/33; 1295-1304 197/32 -> 193/24; 1305-1314 203/20 -> 199/16;
1315-1324 157/32 -> 156/26; 1325-1334 216/20 -> 216/14; 1335-1344 146/40 -> 145/34: false alarms
fewer in all eleven sets (-69, -18%), found 1 to 4 lower in eight (equal in three). Against the linear model alone
(own t): false alarms fewer in eight sets, more in two (1285-1294 +5, 1315-1324 +6), found lower in
one (-1), +22 claims and -25 false alarms in all. The seeds lose one claim at the unit level
(199 -> 198) against the seeds-kept rule. The trees alone at the same rule (older 21433 / 1836,
FRESH 1892 / 279, seeds 196 / 30) rank about as well as the blend. A heavier trees' weight
(``--load F.npz --weights 0.65,0.8``: logit = (1 - w) linear + w trees; criterion written before
the run: fewest older-dev false alarms at the folds-only margin), at that rule, found / false
alarms: w 0.5 older 21406 / 1917, FRESH 1899 / 305, seeds 198; w 0.65 21460 / 1950, 1898 / 311,
197; w 0.8 21455 / 1900, 1897 / 299, 197 (at the linear model's found: older 1657 / 1604 / 1590,
FRESH 272 / 264 / 252). The criterion picks 0.8, but its gain is small on older dev (+49 found,
-17 false alarms), noise on FRESH (-2, -6) and the seeds lose a claim: not shipped (the runtime
blends at 0.5; a weight would be a trees-file field).

End to end (the FRESH pages through check: the shipped linear model, trees fitted outside FRESH,
T7.json from the --save run at the seeds-kept rule's FRESH threshold 0.39 and T7a.json from
``$C --only linear,trees,blend --load F.npz --trees-file T7a.json --trees-rule "margin, folds
only"`` at 0.45; ``copy_accuracy.py --no-baseline --docs 1235-1344 --per-writer --trees T7.json
--trees T7a.json``, one run; "shipped" is session 24's trees file at 0.34, trained without FRESH):

    FRESH (1968 claims, 3905 filler)  found        right topic  overstated  false alarms  flags ok
    shipped, 0.34                     1902 (96.6%) 1545         490/567     455 (11.7%)   50/1401
    T7, margin+seeds 0.39             1892 (96.1%) 1538         486         438 (11.2%)   50
    T7a, folds only 0.45 (chosen)     1882 (95.6%) 1533         485         376 (9.6%)    50

Per FRESH writer set, T7 -> T7a, found / false alarms: 1235-1244 172/46 -> 172/39; 1245-1254
193/34 -> 193/31; 1255-1264 191/60 -> 191/50; 1265-1274 137/32 -> 134/27; 1275-1284 115/45 ->
115/41; 1285-1294 179/38 -> 178/34; 1295-1304 189/33 -> 188/30; 1305-1314 197/27 -> 197/23;
1315-1324 168/51 -> 164/42; 1325-1334 204/25 -> 203/21; 1335-1344 147/47 -> 147/38: false alarms
fewer in all eleven sets (-62), found 1 to 4 lower in five (-10). The seeds end to end
(``copy_accuracy.py --no-baseline --set DIR --trees T7.json --trees T7a.json``, DIR holding only
seed-labels.yaml): shipped 201/206 found, 31/151 false alarms; T7 203, 32; T7a 201, 29: no worse
than today's shipped file, two claims fewer than the same trees at the seeds-kept threshold.

False alarms by structural kind (``false_alarm_sources.kind_of``; out of fold, filler units), linear
at 0.50 -> blend margin+seeds -> blend folds only: FRESH body 147 -> 163 -> 129 of 1007, list item
under an intro 71 -> 79 -> 67 of 268, FAQ answer 33 -> 46 -> 36 of 237, quotation 53 -> 55 -> 49 of
96, table row 11 -> 13 -> 11 of 97; older dev body 1030 -> 1090 -> 924 of 7291, FAQ answer 396 ->
413 -> 338 of 2138, item under an intro 303 -> 329 -> 284 of 1436, quotation 196 -> 202 -> 172 of
589. What the seeds-kept margin added is body lines, FAQ answers and intro'd list items; at the
chosen rule the blend is under the linear model in every large kind on older dev, and on FRESH
under or equal in all but FAQ answers (+3). Testimonial quotations stay the filler kind read as a claim most often
(FRESH 49 of 96).

Session 25, fold bins (bins26). The runs above bin every fold's features once over ALL units, the
left-out fold's values included (a leak of its feature values, not its labels); topic_trees.py
found its trees' FRESH gain (+16 of 1,862) was that leak (+1 binned per fold). ``--fold-bins``
bins each fold on its own training rows, as a fit that never saw the fold (train_claims'
shipped fit on every unit, apart_file). One run, the saved all-bins run scored beside it (its
linear logits identical), 865 s:

    $C --only linear,trees,blend --fold-bins --save FB.npz --compare /tmp/trees26/s7.npz

    s7 found / FA (FRESH's t)           older dev+seeds (22837/34521)  FRESH (2018/4060)  seeds
    linear, own t (0.50)                21202 / 2083                   1877 / 330         199 / 34
    blend all bins, folds only (0.45)   21406 / 1917                   1899 / 305         198 / 31
    blend fold bins, folds only (0.51)  21361 / 1868                   1889 / 294         198 / 31
    at the linear model's found (older 21202, FRESH 1877, seeds 199): linear 2049 / 320 / 34;
    blend all bins 1657 / 272 / 35; blend fold bins 1702 / 270 / 31
    trees alone, fold bins: folds only 21405 / 1829, 1883 / 278, 198 / 28; at linear's found
    1604 / 253 (all bins 1571 / 253)

The claim trees' gain survives honest bins: on FRESH at equal found 320 -> 270 false alarms of
4,060 (-50; all bins -48), on older dev 2049 -> 1702 (-347; all bins -392). Per FRESH set at
rule (a), linear own t -> blend fold bins (-> all bins), found / FA: 1235-1244 170/31 -> 170/28
(170/31); 1245-1254 190/28 -> 192/25 (193/25); 1255-1264 195/55 -> 196/42 (197/46); 1265-1274
134/29 -> 136/26 (137/26); 1275-1284 115/31 -> 116/32 (115/30); 1285-1294 178/28 -> 178/27
(178/33); 1295-1304 194/27 -> 195/23 (193/24); 1305-1314 199/22 -> 197/15 (199/16); 1315-1324
148/20 -> 151/23 (156/26); 1325-1334 213/21 -> 213/18 (216/14); 1335-1344 141/38 -> 145/35
(145/34): false alarms fewer in nine sets (+1 and +3 in two), found lower in one (-2); in all
+12 claims, -36 false alarms. At each set's own linear found (the fewest FA finding as many),
linear -> fold bins (all bins): 26 -> 28 (30), 28 -> 23 (22), 51 -> 38 (38), 24 -> 23 (23), 24 ->
28 (28), 26 -> 25 (27), 27 -> 18 (25), 19 -> 16 (15), 18 -> 20 (21), 21 -> 18 (13), 38 -> 26 (27):
302 -> 263 (269), fewer in eight sets. What the leak moved is the scale, not the ranking: the
all-bins trees' out-of-fold probabilities sit lower (their own t 0.40 against 0.50 binned per
fold), so rule (a) picks 0.45 for the blend on all bins and 0.51 on fold bins. train_claims'
tree folds (fit_trees with groups, the out-of-fold scores the shipped threshold is chosen on)
bin over every unit too, while the shipped trees themselves are binned on their own rows: the
threshold is chosen on scores from the leaky scale. End to end, the same trees fitted outside
FRESH (``$C --only linear,trees,blend --load FB.npz --trees-file Tfb.json --trees-rule "margin,
folds only"``: the trees of T7a.json byte for byte, threshold 0.51 instead of 0.45), then
``copy_accuracy.py --no-baseline --docs 1235-1344 --per-writer --trees T7a.json --trees
Tfb.json``: found 1882 -> 1857 of 1968 (95.6% -> 94.4%), right topic 1533 -> 1517, overstated
485 -> 478 of 567, false alarms 376 -> 313 of 3905 (9.6% -> 8.0%), flags on accurate claims 50
-> 50; false alarms fewer in all eleven FRESH sets, found lower in ten (-1 to -5): the honest
threshold spends the trees' gain on false alarms, and finds fewer claims than the issue's 95%.

Session 26 (bins27): the leak closed and a threshold rule tied to the found target. Each fold's
trees are binned on its own training rows by DEFAULT here and in train_claims.fit_trees (``--all-bins``
reproduces the runs above). The rule (train_claims.shipped_threshold, FOUND_SHARE, FOUND_HOW): the
highest threshold at which the blend's out-of-fold predictions find 95.1% of the labelled claim
units, pooled over the (other) folds. X and "pooled" were chosen on older dev and written in commit
09f6140 with the acceptance criterion BEFORE any FRESH figure was read (train_claims' comment at
FOUND_SHARE: the calibration on pages 1235-1344). 1,399 documents, 69,533 units, 1,812 features, s7:

    $C --only linear,trees,blend --fold-bins --save FB.npz        (1355 s of trees)
    $C --only linear,trees,blend --load FB.npz --older-only --pages 1235-1344   (rule chosen here)
    $C --only linear,trees,blend --load FB.npz --found-share 0.951 --trees-file Tnew.json \
        --trees-rule "found-target pooled"                        (FRESH; Told.json: its trees at 0.51)

    blend (FRESH's t)                    older dev+seeds (24855/38581)  FRESH (1923/4174)  seeds
    linear, own t (0.50)                 22980 / 2277                   1812 / 385         199 / 37
    (the blend at the linear model's found: older 1844, FRESH 331 false alarms)
    margin, folds only (0.51, was)       23259 / 2125                   1814 / 352         198 / 33
    found-target pooled 95.1% (0.42)     23660 / 2773                   1846 / 431         200 / 39
    found-target median (0.41)           23692 / 2844                   1851 / 439         200 / 40
    found-target worst (0.37)            23825 / 3148                   1857 / 483         200 / 41

Out of fold on FRESH the pooled rule finds 1846 (96.0%) against 1814 (94.3%), more in all eleven
writer sets (+1 to +6), and raises false alarms 352 -> 431 of 4,174 (8.4% -> 10.3%), more in all
eleven (+2 to +16). End to end (``copy_accuracy.py --no-baseline --docs 1345-1454 --per-writer
--trees Told.json --trees Tnew.json``: the shipped linear model, trees fitted outside FRESH with
this code's binning; "shipped" is the checkout's session-25 trees at 0.44, leaky bins):

    FRESH (1901 claims, 3951 filler)  found         right topic  overstated  false alarms  flags ok
    shipped, 0.44                     1816 (95.5%)  1481         499/593     393 (9.9%)    41/1308
    Told, margin folds only 0.51      1802 (94.8%)  1472         495         378 (9.6%)    41
    Tnew, found-target 0.42 (chosen)  1831 (96.3%)  1488         503 (84.8%) 459 (11.6%)   41

Per FRESH set Told -> Tnew, found / false alarms: 1345-1354 154/26 -> 155/30; 1355-1364 171/55 ->
172/67; 1365-1374 191/32 -> 193/36; 1375-1384 209/48 -> 215/50; 1385-1394 172/37 -> 176/43;
1395-1404 133/30 -> 134/47; 1405-1414 161/36 -> 163/42; 1415-1424 147/24 -> 150/38; 1425-1434
144/23 -> 147/31; 1435-1444 134/38 -> 139/43; 1445-1454 186/29 -> 187/32: found higher in all
eleven (+29), false alarms higher in all eleven (+81). Seeds end to end (``--set DIR`` holding
only seed-labels.yaml): shipped 200/206, FA 29/151; Told 200, 27; Tnew 201, 30. The criterion
((a) found >= 95%, (b) overstated not lower, (c) seeds not lower) holds: shipped. The price is
false alarms (9.6% -> 11.6% of filler against the issue's 3%): the rule spends the trees' gain on
claims found, as the brief asks; lowering false alarms is not a threshold question any more.

LightGBM is a training-only extra (``pip install -e '.[trees]'``), never a runtime dependency.

    python benchmarks/claim_trees.py --cache /tmp/NAME/claim_docs.pkl --rounds 300 --rate 0.1 \
        [--folds 8] [--leaves 15] [--seed 7] [--colsample 0.3]
    python benchmarks/claim_trees.py --cache /tmp/NAME/claim_docs.pkl --rounds 300 --rate 0.1 \
        --speed 300   # trees trained twice (same bytes?), the blend's CPU cost per 5,000 words
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from false_alarm_sources import kind_of  # noqa: E402
from train_claims import (  # noqa: E402
    CONTEXT,
    FILLER_HEAVY,
    FOUND_SHARE,
    MARGINS,
    Design,
    Doc,
    FoundHow,
    Scored,
    _class_weights,
    _scored,
    _sigmoid,
    auc,
    blend_threshold,
    blend_thresholds,
    cached_documents,
    found_margin,
    found_target_threshold,
    found_target_thresholds,
    found_thresholds,
    threshold_at_found,
    threshold_for,
    writer_of,
)

from claimledger.copy.claimmodel import claim_model, linear_digest, page_features  # noqa: E402
from claimledger.copy.treeblend import ZERO, FlatTrees, dense, evaluate, flatten  # noqa: E402, F401

FRESH = (1345, 1454)  # session 26's fresh pages: aggregate counts only
CLAIM_MODEL = ROOT / "src" / "claimledger" / "data" / "claim_model.json"
SHIPPED = 0.55  # the threshold the shipped claim model carries (train_claims' rule on all folds)


def is_fresh(doc: Doc) -> bool:
    return doc.number is not None and FRESH[0] <= doc.number <= FRESH[1]


def fold_groups(docs: Sequence[Doc], k: int) -> list[str]:
    """Each document's fold: its writer set's place among the writers outside FRESH, dealt
    round into ``k`` groups; FRESH pages are one group of their own."""
    writers = list(dict.fromkeys(writer_of(d) for d in docs if not is_fresh(d)))
    return ["fresh" if is_fresh(d) else f"fold{writers.index(writer_of(d)) % k}" for d in docs]


def linear_logits(
    design: Design, groups: Sequence[str]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Out-of-fold logits of train_claims' model, and each fold model's logits on every row
    (the trees of ``linear+trees`` start from the fold's in-sample logits)."""
    fits = design.folds(groups)
    col = {n: i for i, n in enumerate(design.names)}
    row_group = np.array(groups, dtype=object)[design.doc]
    oof = np.zeros(len(design.y))
    every: dict[str, np.ndarray] = {}
    for g, (weights, bias) in fits.items():
        w = np.zeros(design.x.shape[1])
        for name, v in weights.items():
            w[col[name]] = v
        w[-1] = bias
        z = design.x @ w
        every[g] = z
        oof[row_group == g] = z[row_group == g]
    return oof, every


def tree_logits(
    design: Design,
    groups: Sequence[str],
    params: dict[str, object],
    rounds: int,
    start: dict[str, np.ndarray] | None = None,
    gain: np.ndarray | None = None,
    use: np.ndarray | None = None,
    fold_bins: bool = False,
) -> np.ndarray:
    """Out-of-fold raw scores of LightGBM fitted per fold (classes balanced); with ``start``
    (each fold's linear logits) the trees boost from them and the score is their sum. ``gain``
    (one per feature column) adds up each feature's split gain over the folds; ``use`` (0/1 per
    column): the trees see only the columns it marks (the others read as 0). ``fold_bins``:
    each fold's feature bins from its own training rows, as a fit that never saw the left-out
    fold bins them (the shipped fit: train_claims.fit_trees on every unit; apart_file); without
    it the bins are taken once over every unit, the left-out fold's feature values included (a
    leak of its values, not its labels, into where the trees may split)."""
    import lightgbm as lgb

    x = design.x[:, :-1] if use is None else design.x[:, :-1] * use
    row_group = np.array(groups, dtype=object)[design.doc]
    oof = np.zeros(len(design.y))
    bins = {"max_bin": 63, "verbose": -1}
    whole = None
    if not fold_bins:  # binned once over every unit; each fold takes its rows
        whole = lgb.Dataset(x, design.y, params=bins, free_raw_data=False)
        whole.construct()
    for g in dict.fromkeys(groups):
        t0 = time.perf_counter()
        tr, te = row_group != g, row_group == g
        if whole is None:  # binned on the fold's training rows only
            data = lgb.Dataset(x[tr], design.y[tr], params=bins)
        else:
            data = whole.subset(np.flatnonzero(tr).tolist())
        data.set_weight(_class_weights(design.y[tr]))
        if start:
            data.set_init_score(start[g][tr])
        booster = lgb.train(params, data, num_boost_round=rounds)
        if gain is not None:
            gain += booster.feature_importance("gain")
        if g == "fresh":  # the numpy evaluator gives LightGBM's scores, and how fast
            check_numpy(booster, x[te], design.names)
        oof[te] = booster.predict(x[te], raw_score=True) + (start[g][te] if start else 0.0)
        print(f"  trees {g} [{time.perf_counter() - t0:.0f} s]", flush=True)
        del data, booster  # one fold's binned rows in memory at a time
    return oof


def check_numpy(booster: Any, x: np.ndarray, names: Sequence[str]) -> None:
    """Prints whether the numpy evaluator gives LightGBM's scores on ``x``, and how fast."""
    flat = flatten(booster.dump_model(), names)
    t0 = time.perf_counter()
    mine = evaluate(flat, x, {n: i for i, n in enumerate(names)})
    took = time.perf_counter() - t0
    gap = float(np.abs(mine - booster.predict(x, raw_score=True)).max())
    print(f"  numpy trees on FRESH: {len(x)} units in {took:.3f} s, "
          f"{len(flat['feature'])} splits, max gap to LightGBM {gap:.2e}")  # fmt: skip


def speed(
    docs: Sequence[Doc], design: Design, params: dict[str, object], rounds: int, pages: int
) -> None:
    """What shipping the blend would cost and whether its training is reproducible: trees fitted
    twice on every unit outside FRESH (the same bytes?), then, on ``pages`` older dev pages, CPU
    time per 5,000 words (the words of the page's units) of the shipped linear model's
    ``page_probabilities`` against the blend: the full feature rows (``page_features``, what the
    trees read), a dense row per unit and the numpy trees (``evaluate``), on top of the linear
    score."""
    import lightgbm as lgb

    keep = ~np.array([is_fresh(docs[k]) for k in design.doc])
    x = design.x[:, :-1]
    made = []
    for _ in range(2):
        data = lgb.Dataset(x[keep], design.y[keep], weight=_class_weights(design.y[keep]),
                           params={"max_bin": 63, "verbose": -1})  # fmt: skip
        made.append(lgb.train(params, data, num_boost_round=rounds))
    same = made[0].model_to_string() == made[1].model_to_string()
    flat = flatten(made[0].dump_model(), design.names)
    size = len(json.dumps(flat))
    print(f"trees trained twice outside FRESH: byte-identical {same}; {len(flat['root'])} trees, "
          f"{len(flat['feature'])} splits, {size / 1e6:.2f} MB as JSON")  # fmt: skip
    col = {n: i for i, n in enumerate(design.names)}
    model = claim_model()
    sample = [d for d in docs if not is_fresh(d) and d.set_name == "dev" and d.judged][:pages]
    words = sum(len(j.unit.sentence.split()) for d in sample for j in d.judged)
    units_n = sum(len(d.judged) for d in sample)
    clock = {"linear": 0.0, "features": 0.0, "trees": 0.0}
    for d in sample:
        f, v = [j.features for j in d.judged], [j.vector for j in d.judged]
        t0 = time.process_time()
        p = np.asarray(model.page_probabilities(f, v))
        t1 = time.process_time()
        rows = page_features(f, v, model.prior)
        m = dense(rows, col)
        t2 = time.process_time()
        z = 0.5 * (np.log(p / (1 - p)) + evaluate(flat, m, col))
        _sigmoid(z)
        t3 = time.process_time()
        clock["linear"] += t1 - t0
        clock["features"] += t2 - t1
        clock["trees"] += t3 - t2
    per = {k: 1000 * v * 5000 / words for k, v in clock.items()}
    print(f"{len(sample)} older dev pages, {units_n} units, {words} words; CPU ms per 5,000 words: "
          f"linear model {per['linear']:.0f}; blend {sum(per.values()):.0f} (linear "
          f"{per['linear']:.0f} + full feature rows {per['features']:.0f} + numpy trees "
          f"{per['trees']:.0f})")  # fmt: skip


def units(docs: Sequence[Doc]) -> list[tuple[Doc, object, dict[str, float]]]:
    """The labelled units in ``Design.of``'s row order."""
    return [
        (d, j, f)
        for d in docs
        for j, f, y in zip(d.judged, d.features, d.y, strict=True)
        if y is not None
    ]


def counts(part: Sequence[Scored], hit: Sequence[bool]) -> tuple[int, int, int, int]:
    pos = sum(s.y for s in part)
    found = sum(1 for s, h in zip(part, hit, strict=True) if s.y and h)
    alarms = sum(1 for s, h in zip(part, hit, strict=True) if not s.y and h)
    return found, pos, alarms, len(part) - pos


def fmt(c: tuple[int, int, int, int]) -> str:
    f, p, a, n = c
    return f"found {f}/{p} ({f / max(p, 1):.1%}) FA {a}/{n} ({a / max(n, 1):.1%})"


def at_found(part: Sequence[Scored], target: int) -> tuple[int, int, int, int]:
    """The fewest false alarms at a threshold that finds at least ``target`` claims (or every
    claim the model can report): the units reported whatever the model says, then the others
    the model may report, most probable first."""
    forced = [s for s in part if s.forced]
    free = sorted((s for s in part if not s.forced and s.judged.reportable), key=lambda s: -s.p)
    found, alarms = sum(s.y for s in forced), sum(1 - s.y for s in forced)
    for s in free:
        if found >= target:
            break
        found, alarms = found + s.y, alarms + 1 - s.y
    pos = sum(s.y for s in part)
    return found, pos, alarms, len(part) - pos


def parts(scored: Sequence[Scored], fresh: Sequence[bool]) -> list[tuple[str, list[int]]]:
    idx = range(len(scored))
    return [
        ("older dev+seeds", [i for i in idx if not fresh[i]]),
        ("FRESH", [i for i in idx if fresh[i]]),
        ("seeds", [i for i in idx if writer_of(scored[i].doc) == "seeds"]),
        ("filler-heavy", [i for i in idx if writer_of(scored[i].doc) in FILLER_HEAVY]),
    ]


# rule (c)'s target, fixed before FRESH was read: an out-of-fold UNIT share of claims found (the
# labelled units as train_claims aligns them; the linear model's is about 92-93% on older dev),
# not copy_accuracy.py's end-to-end "claims found", so not comparable with the 95%
FOUND_TARGET = 0.925
# session 26's rules tied to the found target (train_claims.FOUND_SHARE, --found-share): the
# highest threshold whose out-of-fold share of claims found on the other older folds reaches the
# share, pooled over those folds, in their median fold, or in their worst
SPREAD: tuple[FoundHow, ...] = ("pooled", "median", "worst")
RULES = (
    "margin+seeds", "margin, folds only", "found rule", f"found {FOUND_TARGET:.1%}",
    *(f"found-target {how}" for how in SPREAD),
)  # fmt: skip


def candidate_thresholds(
    linear: Sequence[Scored],
    blend: Sequence[Scored],
    group: dict[int, str],
    fresh: Sequence[bool],
    share: float = FOUND_SHARE,
) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """Each threshold rule's thresholds per fold (RULES), every one chosen outside FRESH: an
    older fold's on the OTHER older folds, FRESH's on all older folds. "margin+seeds": the
    smallest margin keeping every older fold's and the seeds' claims found (train_claims'
    shipped rule in session 24); "margin, folds only": the same without the seeds condition;
    "found rule": margin 0 (the pooled linear share); "found X": a fixed out-of-fold share of
    claims found (FOUND_TARGET); "found-target HOW": ``share`` of the claims found pooled over
    the folds, in the median fold or in the worst (train_claims.found_target_threshold). Also
    the margins chosen and the folds' found gaps at them."""
    keep = [i for i, f in enumerate(fresh) if not f]
    lin, bl = [linear[i] for i in keep], [blend[i] for i in keep]
    of = lambda d: group[id(d)]  # noqa: E731
    seeds = lambda d: writer_of(d) == "seeds"  # noqa: E731
    out: dict[str, dict[str, float]] = {}
    said: dict[str, str] = {}
    for rule, kept in (("margin+seeds", seeds), ("margin, folds only", None)):
        margin, gap = found_margin(lin, bl, of, kept)
        m = MARGINS[-1] if margin is None else margin
        said[rule] = f"margin {margin} (gaps {gap})"
        out[rule] = {**blend_thresholds(lin, bl, of, m), "fresh": blend_threshold(lin, bl, m)}
    out["found rule"] = {**blend_thresholds(lin, bl, of), "fresh": blend_threshold(lin, bl)}
    out[RULES[3]] = {
        **found_thresholds(bl, of, FOUND_TARGET),
        "fresh": threshold_at_found(bl, FOUND_TARGET),
    }
    for how in SPREAD:
        out[f"found-target {how}"] = {
            **found_target_thresholds(bl, of, of, share, how),
            "fresh": found_target_threshold(bl, of, share, how),
        }
    return out, said


ROLES = ("body", "item", "quote", "intro", "heading")


def by_role(scored: Sequence[Scored], fresh: Sequence[bool], hit: Sequence[bool]) -> None:
    """False alarms on filler by the unit's role (structure.Unit.role) and structural kind
    (false_alarm_sources.kind_of), older dev outside the seeds and FRESH (counts only), and how
    many a wording rule reports whatever the model says."""
    for title, idx in (
        (
            "older",
            [i for i, f in enumerate(fresh) if not f and writer_of(scored[i].doc) != "seeds"],
        ),
        ("FRESH", [i for i, f in enumerate(fresh) if f]),
    ):
        filler = [i for i in idx if not scored[i].y]
        cells = []
        for role in ROLES:
            mine = [i for i in filler if scored[i].judged.unit.role == role]
            cells.append(f"{role} {sum(hit[i] for i in mine)}/{len(mine)}")
        forced = sum(1 for i in filler if hit[i] and scored[i].forced)
        print(f"    {title} false alarms by role: {', '.join(cells)}; "
              f"by a wording rule {forced}")  # fmt: skip
        kinds = Counter(kind_of(scored[i].judged) for i in filler)
        alarms = Counter(kind_of(scored[i].judged) for i in filler if hit[i])
        print(f"    {title} false alarms by kind (false_alarm_sources.kind_of): "
              + ", ".join(f"{k} {alarms[k]}/{n}" for k, n in kinds.most_common()))  # fmt: skip


def by_fresh_set(
    scored: Sequence[Scored],
    fresh: Sequence[bool],
    hits: Mapping[str, Sequence[bool]],
    linear_found: dict[str, int],
) -> None:
    """Each FRESH writer set (aggregates only): found / false alarms at each rule in ``hits``,
    and the fewest false alarms at the linear model's found in that set (``linear_found``,
    filled by the linear run)."""
    sets = list(dict.fromkeys(writer_of(scored[i].doc) for i in range(len(scored)) if fresh[i]))
    for w in sets:
        idx = [i for i in range(len(scored)) if fresh[i] and writer_of(scored[i].doc) == w]
        part = [scored[i] for i in idx]
        cols = {k: counts(part, [h[i] for i in idx]) for k, h in hits.items()}
        linear_found.setdefault(w, cols["own t"][0])
        eq = at_found(part, linear_found[w])
        print(f"    FRESH {w}: " + " | ".join(f"{k} {c[0]}/{c[1]} FA {c[2]}/{c[3]}"
              for k, c in cols.items()) + f" | at linear's found {linear_found[w]}: "
              f"found {eq[0]} FA {eq[2]}")  # fmt: skip


def pages_found(scored: Sequence[Scored], pages: str) -> None:
    """The out-of-fold claims found on older dev pages ``pages`` (LO-HI, never FRESH's) at
    thresholds 0.30-0.60."""
    lo, hi = (int(v) for v in pages.split("-"))
    if lo <= FRESH[1] and hi >= FRESH[0]:
        raise SystemExit("--pages: FRESH's pages give aggregate counts only")
    part = [s for s in scored if s.doc.number is not None and lo <= s.doc.number <= hi]
    pos = sum(s.y for s in part)
    cells = []
    for t in [round(0.01 * i, 2) for i in range(30, 61, 3)]:
        f = sum(1 for s in part if s.y and s.hit(t))
        cells.append(f"{t} {f} ({f / max(pos, 1):.1%})")
    print(f"  pages {pages}, {pos} claims, found at: " + ", ".join(cells))


def older_folds(
    scored: Sequence[Scored],
    fresh: Sequence[bool],
    row_group: Sequence[str],
    hits: Mapping[str, Sequence[bool]],
) -> None:
    """Each older fold's found / false alarms at each rule (its thresholds chosen on the other
    older folds): how the rules spend the found target fold by fold."""
    for g in sorted({h for h, f in zip(row_group, fresh, strict=True) if not f}):
        idx = [i for i, h in enumerate(row_group) if h == g and not fresh[i]]
        part = [scored[i] for i in idx]
        cols = {k: counts(part, [h[i] for i in idx]) for k, h in hits.items()}
        print(f"    {g}: " + " | ".join(f"{k} {c[0]}/{c[1]} ({c[0] / max(c[1], 1):.1%}) FA {c[2]}"
              for k, c in cols.items()))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--cache", metavar="FILE", help="the judged documents (train_claims --cache)")
    ap.add_argument("--folds", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=400)
    ap.add_argument("--leaves", type=int, default=15)
    ap.add_argument("--rate", type=float, default=0.05)
    ap.add_argument("--residual-rounds", type=int, default=150)
    ap.add_argument("--residual-rate", type=float, default=0.05)
    ap.add_argument("--min-leaf", type=int, default=50)
    ap.add_argument("--colsample", type=float, default=0.3)
    ap.add_argument(
        "--speed", type=int, default=0, metavar="PAGES",
        help="only: trees trained twice (same bytes?) and the blend's CPU cost on PAGES dev pages",
    )  # fmt: skip
    ap.add_argument(
        "--own-only", action="store_true",
        help="the trees read the unit's own features only (no nb:, sec:, pg: columns)",
    )  # fmt: skip
    ap.add_argument("--seed", type=int, default=7, help="the trees' column sampling")
    ap.add_argument("--only", default="linear,trees,linear+trees,blend")
    ap.add_argument("--save", metavar="NPZ", help="keep every model's out-of-fold logits there")
    ap.add_argument("--load", metavar="NPZ", help="score the logits a --save run kept (no fits)")
    ap.add_argument(
        "--fold-bins", action="store_true", default=True,
        help="each fold's trees binned on its own training rows, as the shipped fit (the default)",
    )  # fmt: skip
    ap.add_argument(
        "--all-bins", dest="fold_bins", action="store_false",
        help="each fold's trees binned once over EVERY unit (sessions 22-25's runs: a leak of the "
        "left-out fold's feature values into the bins)",
    )  # fmt: skip
    ap.add_argument(
        "--compare", metavar="NPZ",
        help="also score a --save run's trees and blends (named '... (NPZ)') beside this run's",
    )  # fmt: skip
    ap.add_argument(
        "--trees-file", metavar="JSON",
        help="also write a trees file (train_claims' format) fitted on every unit outside FRESH, "
        "with the blend's margin-rule threshold chosen outside FRESH: FRESH end to end, unseen",
    )  # fmt: skip
    ap.add_argument(
        "--weights",
        type=lambda v: [float(w) for w in v.split(",")],
        default=[],
        metavar="W,W",
        help="also blends with the trees weighed W (logit = (1 - W) linear + W trees)",
    )
    ap.add_argument(
        "--trees-rule", default="margin+seeds", choices=RULES,
        help="the threshold rule whose FRESH threshold --trees-file carries",
    )  # fmt: skip
    ap.add_argument(
        "--found-share", type=float, default=FOUND_SHARE, metavar="X",
        help="the found-target rules' out-of-fold share of claims found (train_claims.FOUND_SHARE)",
    )  # fmt: skip
    ap.add_argument(
        "--older-only", action="store_true",
        help="print older dev's figures only, no FRESH count (to choose a rule before FRESH)",
    )  # fmt: skip
    ap.add_argument(
        "--pages", metavar="LO-HI",
        help="also the blend's out-of-fold claims found on older dev pages LO-HI at thresholds "
        "0.30-0.60 (how the unit share relates to copy_accuracy's end-to-end found there)",
    )  # fmt: skip
    a = ap.parse_args()
    t0 = time.perf_counter()
    docs = cached_documents(a.cache)
    design = Design.of(docs)
    groups = fold_groups(docs, a.folds)
    print(f"{len(docs)} documents, {len(design.y)} units, {len(design.names)} features, "
          f"{a.folds} writer folds + FRESH  [{time.perf_counter() - t0:.0f} s]", flush=True)  # fmt: skip
    params: dict[str, object] = {
        "objective": "binary", "learning_rate": a.rate, "num_leaves": a.leaves,
        "min_data_in_leaf": a.min_leaf, "feature_fraction": a.colsample, "lambda_l2": 1.0,
        "feature_fraction_seed": a.seed, "deterministic": True, "force_row_wise": True,
        "num_threads": 1, "verbose": -1, "seed": a.seed,
    }  # fmt: skip
    if a.speed:
        speed(docs, design, params, a.rounds, a.speed)
        return
    lin, every = linear_logits(design, groups)
    print(f"linear folds [{time.perf_counter() - t0:.0f} s]", flush=True)
    runs = {"linear": lin}
    only = a.only.split(",")
    if a.load:  # the out-of-fold scores a --save run kept (same cache, folds and settings)
        kept = np.load(a.load)
        runs.update({k: kept[k] for k in kept.files if k != "linear"})
    elif "trees" in only:
        gain = np.zeros(len(design.names))
        use = None
        if a.own_only:  # the unit's own features: no neighbours', section's or page's means
            use = np.array([not n.startswith(CONTEXT) for n in design.names], dtype=float)
        runs["trees"] = tree_logits(
            design, groups, params, a.rounds, gain=gain, use=use, fold_bins=a.fold_bins
        )
        top = np.argsort(-gain)[:20]
        print(f"trees split on {int((gain > 0).sum())} of {len(gain)} features; most gain: "
              + ", ".join(f"{design.names[i]} {gain[i] / gain.sum():.1%}" for i in top))  # fmt: skip
        print(f"trees [{time.perf_counter() - t0:.0f} s]", flush=True)
    if "linear+trees" in only and not a.load:
        resid = {**params, "learning_rate": a.residual_rate}
        runs["linear+trees"] = tree_logits(
            design, groups, resid, a.residual_rounds, every, fold_bins=a.fold_bins
        )
        print(f"linear+trees [{time.perf_counter() - t0:.0f} s]", flush=True)
    if "blend" in only and "trees" in runs:  # the two logits averaged
        runs["blend"] = 0.5 * (lin + runs["trees"])
    for w in a.weights:  # the trees weighed w, the linear model 1 - w (the runtime blends at 0.5)
        runs[f"blend w{w}"] = (1 - w) * lin + w * runs["trees"]
    if a.save:
        np.savez(a.save, **runs)
    if a.compare:  # another run's out-of-fold scores (same cache and folds: its linear's the same)
        other = np.load(a.compare)
        gap = float(np.abs(other["linear"] - lin).max())
        print(f"{a.compare}: its linear logits differ from this run's by at most {gap:.2e}")
        tag = Path(a.compare).stem
        runs.update({f"{k} ({tag})": other[k] for k in other.files if k != "linear"})
    us = units(docs)
    fresh = [is_fresh(d) for d, _, _ in us]
    row_group = [groups[k] for k in design.doc]
    target: dict[str, int] = {}
    set_target: dict[str, int] = {}
    linear_scored: list[Scored] = []
    fold_of = {id(d): g for d, g in zip(docs, groups, strict=True)}
    for name, z in runs.items():
        scored = _scored(_sigmoid(z), design.y, us)  # type: ignore[arg-type]
        linear_scored = linear_scored or scored
        per = {
            g: threshold_for([s for s, h in zip(scored, row_group, strict=True) if h != g])
            for g in dict.fromkeys(groups)
        }
        rules, margins = candidate_thresholds(linear_scored, scored, fold_of, fresh, a.found_share)
        own = [s.hit(per[g]) for s, g in zip(scored, row_group, strict=True)]
        shipped = [s.hit(SHIPPED) for s in scored]
        hits = {"own t": own}
        hits.update({
            r: [s.hit(th[g]) for s, g in zip(scored, row_group, strict=True)]
            for r, th in rules.items()
        })  # fmt: skip
        print(f"{name}: thresholds by fold (own t) {per}")
        for r, th in rules.items():
            print(f"  {r}: {margins.get(r, '')} thresholds {th}")
        if a.pages and name == "blend":
            pages_found(scored, a.pages)
        for title, idx in parts(scored, fresh):
            if a.older_only and title == "FRESH":
                continue
            part = [scored[i] for i in idx]
            c_own = counts(part, [own[i] for i in idx])
            target.setdefault(title, c_own[0])
            print(f"  {title:>15}: AUC {auc(part):.4f} | t={SHIPPED}: "
                  f"{fmt(counts(part, [shipped[i] for i in idx]))} | at linear's found "
                  f"{target[title]}: {fmt(at_found(part, target[title]))}")  # fmt: skip
            for r, h in hits.items():
                print(f"  {'':>15}  {r:>20}: {fmt(counts(part, [h[i] for i in idx]))}")
        if a.older_only:
            older_folds(scored, fresh, row_group, hits)
            continue
        by_fresh_set(scored, fresh, hits, set_target)
        for r in ("margin+seeds", "margin, folds only"):
            print(f"    {r}:")
            by_role(scored, fresh, hits[r])
        ruled_m = rules[a.trees_rule]
        if name == "blend" and a.trees_file:  # at --trees-rule's threshold for FRESH
            apart_file(docs, design, params, a.rounds, ruled_m["fresh"], a.trees_file)
    print(f"[{time.perf_counter() - t0:.0f} s]")


def apart_file(
    docs: Sequence[Doc],
    design: Design,
    params: dict[str, object],
    rounds: int,
    threshold: float,
    path: str,
) -> None:
    """Writes a trees file as train_claims.write_trees does (beside the shipped linear model),
    from the units outside FRESH only
    (``threshold``: the blend's --trees-rule on the out-of-fold predictions outside FRESH), for
    scoring FRESH end to end (copy_accuracy.py) with a blend that never saw it."""
    import lightgbm as lgb

    keep = ~np.array([is_fresh(docs[k]) for k in design.doc])
    x = design.x[keep, :-1]
    data = lgb.Dataset(x, design.y[keep], weight=_class_weights(design.y[keep]),
                       params={"max_bin": 63, "verbose": -1})  # fmt: skip
    flat = flatten(lgb.train(params, data, num_boost_round=rounds).dump_model(), design.names)
    payload = {
        "trained_on": f"claim_trees.py --trees-file: {int(keep.sum())} units outside FRESH",
        "linear": linear_digest(json.loads(CLAIM_MODEL.read_text())),
        "lightgbm": lgb.__version__,
        "params": {**params, "max_bin": 63, "rounds": rounds},
        "threshold": threshold,
        "trees": flat,
    }
    Path(path).write_text(json.dumps(payload, separators=(",", ":")) + "\n")
    print(f"wrote {path}: {len(flat['root'])} trees, {len(flat['feature'])} splits, "
          f"threshold {threshold} (--trees-rule, chosen outside FRESH)")  # fmt: skip


if __name__ == "__main__":
    main()
