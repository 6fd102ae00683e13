"""Several answers as one: a comparison's parts, the parts of a compound question."""
from __future__ import annotations

import re

from assistant.models import Answer
from assistant.understanding import Intent


def merge_answers(answers: list[Answer], intent: Intent) -> Answer:
    """Several answers as one, citation numbers shifted to stay unique."""
    if len(answers) == 1:
        return answers[0]
    texts, citations, items = [], [], []
    for answer in answers:
        offset = len(citations)
        texts.append(re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + offset}]", answer.answer))
        citations += answer.citations
        items += answer.items
    return Answer("\n\n".join(texts), True, citations, intent=intent.value, items=items)


def merge_parts(answers: list[Answer]) -> Answer:
    """The answers to the parts of one compound question; says when a part found nothing."""
    answered = [a for a in answers if a.answered]
    if not answered:
        return answers[0]
    merged = merge_answers(_new_passages_only(answered), Intent.FACT)
    if len(answered) < len(answers):
        merged.answer += "\n（问题中有一部分在报告中未找到答案。）"
    return merged


def _new_passages_only(answers: list[Answer]) -> list[Answer]:
    """A later part answered by passages an earlier part already quotes (one sentence
    stating 计划 and 实际) adds nothing but the same lines again."""
    kept, seen = [], set()
    for answer in answers:
        passages = {(c.report_id, c.start, c.end) for c in answer.citations}
        if kept and passages and passages <= seen:
            continue
        kept.append(answer)
        seen |= passages
    return kept
