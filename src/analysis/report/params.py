"""The report's parameters and their defaults."""
from __future__ import annotations

from typing import Any



#: parameters of the report notebook (its papermill ``parameters`` cell) and defaults
DEFAULT_PARAMS: dict[str, Any] = {
    "corpus": "",
    "focus": "RUS,SYR,IRN",
    "start": "",
    "end": "",
    "outlets": "",
    "categories": "",
    "exclude_categories": "",
    "dedup": True,
    "fields": "",
    "tz": "UTC",
    "gazetteer": "",
    "level": "sentence",
    "freq": "M",
    "topics": 10,
    "method": "nmf",
    "event_date": "",
    "seed": 0,
    "out_dir": ".",
}
