"""The gateway's event contract as this client needs it: the event types and each field's length
limit, from contract.json, which is generated from the gateway's own declaration (@kibotics/schema)."""

import json
import os

with open(os.path.join(os.path.dirname(__file__), "contract.json"), encoding="utf-8") as _f:
    _CONTRACT = json.load(_f)

EVENT_TYPES = frozenset(_CONTRACT["types"])
MAX_LENGTH = dict(_CONTRACT["max"])


def clip(field, value):
    """The value cut to the gateway's limit for the field: the event is sent rather than refused."""
    return value[: MAX_LENGTH[field]]
