"""Text plumbing with character offsets: language, sentences, tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SPANISH_WORDS = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "que",
        "en",
        "y",
        "por",
        "para",
        "con",
        "una",
        "un",
        "su",
        "sus",
        "fue",
        "han",
        "ha",
        "según",
        "contra",
        "también",
        "pero",
        "más",
        "como",
        "desde",
        "sobre",
        "entre",
        "durante",
        "tras",
    ]
)
_ENGLISH_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "was",
        "were",
        "is",
        "are",
        "by",
        "for",
        "with",
        "on",
        "that",
        "from",
        "has",
        "have",
        "had",
        "his",
        "her",
        "their",
        "after",
        "said",
    ]
)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’)\]]*\s+|(?<=[。！？；])|\n+")
TOKEN = re.compile(r"[\w][\w'’\-.]*[\w]|[\w]", re.UNICODE)


def detect_language(text: str) -> str:
    """ "zh" when the text is mostly Chinese characters, else "es" or "en" by function words."""
    sample = text[:5000]
    letters = sum(1 for c in sample if c.isalpha())
    if letters and len(CJK.findall(sample)) / letters > 0.3:
        return "zh"
    words = re.findall(r"[a-záéíóúñü]+", sample.lower())
    spanish = sum(1 for w in words if w in _SPANISH_WORDS)
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    return "es" if spanish > english else "en"


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int


class Document:
    """The text with its sentences, found once and shared by every extractor."""

    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.language = language

    @cached_property
    def sentences(self) -> list[Sentence]:
        sentences: list[Sentence] = []
        start = 0
        for match in _SENTENCE_END.finditer(self.text):
            end = match.start() if match.start() > start else match.end()
            self._add(sentences, start, end)
            start = match.end()
        self._add(sentences, start, len(self.text))
        return sentences

    def _add(self, sentences: list[Sentence], start: int, end: int) -> None:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if end > start:
            sentences.append(Sentence(len(sentences), start, end))

    def sentence_at(self, offset: int) -> Sentence:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return self.sentences[-1] if self.sentences else Sentence(0, 0, len(self.text))

    def sentence_text(self, sentence: Sentence) -> str:
        return self.text[sentence.start : sentence.end]

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    @cached_property
    def first_paragraph_end(self) -> int:
        """End of the title and lead: the first two non-empty lines."""
        lines = [m.end() for m in re.finditer(r"[^\n]+", self.text)]
        return lines[1] if len(lines) > 1 else len(self.text)


def words(text: str) -> list[str]:
    return [m.group(0).lower() for m in TOKEN.finditer(text)]
