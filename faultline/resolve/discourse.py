"""Discourse: whom a document has named so far, for the words that point back.

"It", "they" and "its" stand for the last subject, "them" and "him" for the
last event's targets, "the minister" for the last actor named with that title,
a bare surname for the person the text described before, and a pronoun inside
a sentence for the actor named just before it. One Discourse per document
holds all of that; the resolver tells it every noun phrase it codes
(`named`), the extractors what each clause or sentence said (`observe`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from faultline.extract.tree import Word
from faultline.models import Actor


class Discourse:
    """The reference memory of one document."""

    def __init__(self, object_pronouns: frozenset[str] = frozenset(),
                 numbers: Mapping[str, int] | None = None, *,
                 first_person: frozenset[str] = frozenset(),
                 quoted: Callable[[Word], bool] | None = None,
                 personal: frozenset[str] = frozenset(),
                 bodies: frozenset[str] = frozenset()) -> None:
        """Start a document; `object_pronouns` ("them") stand for the last event's
        targets, `numbers` ("the two ministers") count whom a title refers back to.
        `quoted` tells whether a word stands between quotation marks, where of the
        pronouns only those of `first_person` ("we", "our") stand for the speaker;
        those of `personal` ("he", "her") for no organisation or state, nor for an
        actor named by a noun of `bodies` ("the government")."""
        self._object_pronouns = object_pronouns
        self._numbers = numbers or {}
        self._first_person = first_person
        self._quoted = quoted
        self._personal = personal
        self._bodies = bodies
        #: The keys (as in `_seen_keys`) of the actors named as people, by a name.
        self._people: set[tuple[int, int, str | None, str | None, str]] = set()
        #: The actors most recently named as a subject, for "it", "they", "its".
        self.last: list[Actor] = []
        #: The targets of the last event, for object pronouns ("released them").
        self.last_targets: list[Actor] = []
        #: Every coded actor named so far, in order, for pronouns inside a sentence.
        self.seen: list[Actor] = []
        #: Surnames of people the text described ("Russian Foreign Minister X"), by word.
        self.learned: dict[str, Actor] = {}
        #: The coded actors each title or sector noun was said of ("Foreign Minister
        #: X" -> "minister"), for a later "the minister".
        self.titled: dict[str, list[Actor]] = {}
        # (start, end, code, sector, text) of every actor in `seen`: a tuple hashes
        # faster than the Actor it stands for (all of them are neither borrowed nor named)
        self._seen_keys: set[tuple[int, int, str | None, str | None, str]] = set()

    # -- what the text says --------------------------------------------------------------
    def observe(self, subjects: Sequence[Actor], targets: Sequence[Actor] = ()) -> None:
        """Take what a clause or sentence said: its coded subjects are whom "it" and
        "they" mean next, its coded targets (not borrowed from a pronoun) "them"."""
        coded = [a for a in subjects if a.code]
        if coded:
            self.last = coded
        hit = [a for a in targets if a.code and not a.borrowed]
        if hit:
            self.last_targets = hit

    def named(self, actors: Sequence[Actor], titles: Iterable[str], surname: str | None) -> None:
        """Take the coded actors a noun phrase named (not borrowed from a pronoun).

        `titles` are the lemmas of its title and sector words ("minister"), which a
        later "the minister" refers back through when the phrase named one actor;
        `surname` the name a later bare mention of the same person will use.
        """
        for actor in actors:
            key = _key(actor)
            if key not in self._seen_keys:
                self._seen_keys.add(key)
                self.seen.append(actor)
        if len(actors) != 1:
            return
        for title in titles:
            self.titled.setdefault(title, []).append(actors[0])
        if surname is not None:
            self._people.add(_key(actors[0]))
            # a person described once is known by their surname for the rest of the text
            self.learned.setdefault(surname, actors[0])

    def quoted(self, word: Word) -> bool:
        """Return True when a word stands between quotation marks."""
        return self._quoted is not None and self._quoted(word)

    def impersonal(self, pronoun: Word) -> bool:
        """Return True for a pronoun of neither a person nor the first person ("it",
        "they")."""
        return pronoun.lower_ not in self._personal and pronoun.lower_ not in self._first_person

    # -- what a word points back to ---------------------------------------------------
    def antecedents(self, pronoun: Word, sentence_start: int,
                    speaker: Sequence[Actor] = ()) -> list[Actor]:
        """Return whom a pronoun stands for: the speaker, else the nearest actor named
        earlier in its sentence ("Pashinyan and his government"), else the last
        subject; an object pronoun ("released them") the last event's targets."""
        if speaker and self._quoted is not None and pronoun.lower_ not in self._first_person \
                and self._quoted(pronoun):
            # `"He fired at the attacker," the police chief said`: in the speaker's own
            # words "he" and "they" are others, as in "X said he would go" they are not
            speaker = ()
        before = self.named_between(sentence_start, pronoun.i)
        if pronoun.lower_ in self._object_pronouns and pronoun.dep_ in {"dobj", "dative", "pobj"}:
            # "police detained two journalists ... later released them": an object
            # pronoun is not the subject of its own verb but whom the last event hit
            subject = {c.i for c in pronoun.head.children if c.dep_ in {"nsubj", "nsubjpass"}}
            before = [a for a in before if not any(a.start <= i < a.end for i in subject)]
            return list(speaker) or before[-1:] or self.last_targets
        # with no subject coded yet, the actor the text named last
        found = list(speaker) or before[-1:] or self.last or self.seen[-1:]
        if pronoun.lower_ in self._personal and found and all(
                a.org or (a.sector is None and _key(a) not in self._people)
                or (_key(a) not in self._people and a.text.split()[-1].lower() in self._bodies)
                for a in found):
            # "the Commission said ... He added": no organisation or state is "he"; the
            # person named last is
            return next(([a] for a in reversed(self.seen) if _key(a) in self._people), found)
        return found

    def named_between(self, start: int, end: int,
                      other: frozenset[str | None] = frozenset()) -> list[Actor]:
        """Return the coded actors named within tokens [start, end), in order, but
        those of the codes `other`."""
        return [a for a in self.seen if start <= a.start and a.end <= end
                and a.code not in other]

    def states_before(self, start: int, count: int, generic: frozenset[str],
                      also: Sequence[Actor] = ()) -> list[Actor]:
        """Return the last `count` distinct states named before token `start`, in the
        order named ("the two countries"), `also` counted as named after all others;
        none when fewer were named."""
        states: list[Actor] = []
        for actor in [*reversed(also), *reversed(self.seen)]:
            if actor.end > start or not actor.code or actor.code in generic or actor.org:
                continue
            if all(a.code != actor.code for a in states):
                states.append(actor)
                if len(states) == count:
                    return states[::-1]
        return []

    def described(self, surname: str) -> Actor | None:
        """Return the person a surname stands for, as the text described them earlier."""
        return self.learned.get(surname)

    def titled_as(self, title: str, head: Word) -> list[Actor]:
        """Return whom "the minister" (the last one named) or "the (two) ministers" stand for.

        A plural with a number ("the two ministers") takes that many distinct countries
        of the last few named with the title; without one, their country if they share
        one. Otherwise nobody: the text does not say which.
        """
        named = self.titled.get(title)
        if not named:
            return []
        if head.tag_ != "NNS":
            return named[-1:]
        distinct: list[Actor] = []
        for actor in reversed(named[-3:]):
            if all(a.code != actor.code for a in distinct):
                distinct.append(actor)
        count = next((self._numbers.get(c.lower_) for c in head.children
                      if c.dep_ == "nummod"), None)
        if count is not None:
            return distinct[:count][::-1] if len(distinct) >= count else []
        # "the ministers" after ministers of several countries: which of them is unclear
        return distinct if len(distinct) == 1 else []


def _key(actor: Actor) -> tuple[int, int, str | None, str | None, str]:
    """Return what tells one named actor from another: (start, end, code, sector, text)."""
    return (actor.start, actor.end, actor.code, actor.sector, actor.text)
