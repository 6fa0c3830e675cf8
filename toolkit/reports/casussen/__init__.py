"""Casussen: pseudonymised case handouts for the dialogue tables.

Before a dialogue evening or deepening session the facilitator picks cases that together raise
the pilot's open questions, spreads them over the tables and prints a handout per table. The
people in the cases are real and vulnerable, so a handout shows a person only through
:func:`~toolkit.casebook.public.public_view` (pseudonym, age band, district, talents, wishes,
hours), plus their situation in plain words, which the discussion needs. Every public file
passes :func:`~toolkit.reports.privacy.check_public` before anything is written.

**Themes.** What a case is "about" is a closed vocabulary of themes (:func:`theme_vocabulary`,
:data:`THEME_CODES`), each found by one rule:

- from the situation: ``dagbesteding``, ``wajong``, ``wmo``, ``pgb``, ``bijstand``, ``ww``,
  ``inburgering``, ``statushouder``, ``asielzoeker``;
- from the coordinator's alerts (:mod:`toolkit.casebook.alerts`): ``geen-bsn``,
  ``bijstand-onder-27`` (and again ``pgb``, ``wajong``, ``asielzoeker``);
- from the rules: ``onder-21`` (the lower hourly cap applies) and ``uurtarief`` (the hours times
  the hourly cap stay below the monthly cap, so the person cannot reach the full allowance);
- from the matcher's options (:mod:`toolkit.matching.options`): the warning codes of the options
  shown (``vog``, ``voorwaarden``, ``reisafstand``, and those that are also alert codes) and
  ``geen-optie`` when it found no option at all;
- from the sponsors: ``sponsor-conflict`` (the person rejects the sector of a sponsor of the
  pilot) and ``sponsor-waarden`` (no acceptable sponsor shares any of the person's values).

Ages are reckoned in the rules year, for the age band as well as for the hourly cap and the
bijstand age, so that the band and the figures on one handout never together reveal more than
the band.

**Selection** (``--select N``) is a greedy set cover over the requested themes among the people
who are not ``gestopt``: each step takes the person who adds the most requested themes not yet
covered; among equal coverage, the one most different from those already chosen (the largest
smallest Jaccard distance over themes, talents and district, then the largest mean distance),
then the first by pseudonym. Greedy set cover is not always the smallest cover, but each step
covers at least one new theme while any is left, so every theme that someone has is covered as
soon as N is at least the number of such themes. Once all coverable themes are covered, the
remaining places go to the most different people. The choice depends only on the casebook.

**Spread** over the tables: the cases with the most themes are placed first, each at the table
(with room left) where it repeats the fewest themes already there; tables differ in size by at
most one case.

The reports layer depends only on the matcher's contract: options are passed in as data.

One module per idea, data flowing one way: :mod:`.request` (what was asked),
:mod:`.themes` and :mod:`.frame` (what a case is about, its money), :mod:`.selection` (choosing
the cases) and :mod:`.tables` (spreading them), :mod:`.handouts` (what a handout shows),
:mod:`.documents` and :mod:`.word` (rendering to bytes), :mod:`.privacy` (the guard over every
public file) and :mod:`.job` (the whole job, rendering apart from writing). Recording the cases
in the session file is a casebook edit: :mod:`toolkit.casebook.session_cases`.
"""
