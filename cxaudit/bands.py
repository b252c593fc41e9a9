"""Band boundaries of METHODOLOGY §2–§5, written once.

Pure: no Django imports. ``cxaudit.stats`` bands survey results with these numbers, the
recommendation engine (``cxaudit.recommendations``) triggers its metric rules on them
and the survey charts draw their band lines from them, so the three can never disagree.
Every boundary is compared with the value rounded to its display precision (§1.3).
"""

from typing import Final

# §2 NPS: critical < 0 ≤ problems < 30 ≤ good ≤ 50 < excellent.
NPS_PROBLEMS_FROM: Final = 0
NPS_GOOD_FROM: Final = 30
NPS_GOOD_UP_TO: Final = 50

# §3 CSAT, on T2B: weak < 70 ≤ acceptable < 85 ≤ strong.
CSAT_ACCEPTABLE_FROM: Final = 70
CSAT_STRONG_FROM: Final = 85

# §4 CES, on % agree: weak < 60 ≤ acceptable < 80 ≤ strong.
CES_ACCEPTABLE_FROM: Final = 60
CES_STRONG_FROM: Final = 80

# §5 eNPS: concern < 0 ≤ acceptable < 30 ≤ strong.
ENPS_ACCEPTABLE_FROM: Final = 0
ENPS_STRONG_FROM: Final = 30

# §5 state at work, on the mean: concern < 6 ≤ acceptable < 8 ≤ strong.
STATE_AT_WORK_ACCEPTABLE_FROM: Final = 6
STATE_AT_WORK_STRONG_FROM: Final = 8
