"""The fixed questions of a network pulse, as feedback prompts (Swedish: members read them as they are)."""

from __future__ import annotations

from typing import Any

MET, VALUE, COMMENT = "met", "value", "comment"
MET_YES = ("ja_flera", "ja_en")  # the "met" options that mean the network met


def prompts(*, period: str, free_text: bool) -> list[tuple[str, dict[str, Any]]]:
    """(question key, feedback PromptIn) in the order asked."""
    asked: list[tuple[str, dict[str, Any]]] = [
        (MET, {"kind": "choice", "title": "Har ni träffats?", "description": f"Gäller perioden {period}.",
               "options": [{"id": "ja_flera", "label": "Ja, flera gånger"}, {"id": "ja_en", "label": "Ja, en gång"},
                           {"id": "nej", "label": "Nej, inte än"}]}),
        (VALUE, {"kind": "scale", "title": "Hur värdefullt är nätverket för dig?",
                 "scale": {"min": 1, "max": 5, "labels": {"1": "Inte alls värdefullt", "5": "Mycket värdefullt"}}}),
    ]
    if free_text:
        asked.append((COMMENT, {"kind": "open_text", "title": "Vill du säga något mer om nätverket? (frivilligt)"}))
    return asked
