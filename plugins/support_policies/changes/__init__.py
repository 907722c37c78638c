"""Change over time: what changed between two policy sets, for whom, and whether it was announced.

:mod:`.compare` matches and classifies the changes (:mod:`.kinds` lists every kind),
:mod:`.approve` judges them against the change log and the notice period, :mod:`.git`
reads the policies of a git revision, and :mod:`.report` prints the verdicts.
"""
