"""A round's results from its inputs: plain data in, the engine's scores out (no database).

The inputs are one JSON-able dict (see `parindex.results.queries.round_inputs`): per unit type,
the index set as its canonical spec, the units with their ranking group, and each unit's final
and survey answers in the stored JSON form. The same function computes a provisional preview
from live assessments and recomputes a published round from its snapshot, so a figure is
computed in exactly one place: the engine.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import hmac
import pickle
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import lz4.frame
import orjson

from parindex import engine
from parindex.assessments.answers import from_json
from parindex.engine import Answer, RoundScores, UnitScore


def _answer(data: Mapping[str, Any]) -> Answer:
    """The engine answer behind a stored value (the assessments' JSON form)."""
    answer = from_json(dict(data))
    if answer is None:
        raise ValueError("empty stored answer")
    return answer


class _Answers:
    """Stored values as engine answers. A round holds ~10^5 values but few distinct ones (the
    same points, choices and rates over and over): each distinct value is converted once per
    computation, and units share the answer (immutable; the engine then evaluates it once per
    leaf). Values gathered from the database are shared objects already and are found by
    identity (each kept beside its answer, so its id stays its own); values parsed from a
    snapshot's text are found by their one key and its value."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[Any, Answer]] = {}
        self._by_value: dict[tuple[str, Any], Answer] = {}

    def of(self, values: Mapping[str, Mapping[str, Any]]) -> dict[str, Answer]:
        by_id = self._by_id
        try:  # every value seen before (most units after the first): one pass, no branches
            return {code: by_id[id(value)][1] for code, value in values.items()}
        except KeyError:
            pass
        result = {}
        for code, value in values.items():
            known = self._by_id.get(id(value))
            if known is not None:
                result[code] = known[1]
                continue
            try:
                ((kind, raw),) = value.items()
                key = (kind, raw)
                answer = self._by_value.get(key)
            except (ValueError, TypeError):  # several keys, or an unhashable value (a ratio)
                result[code] = _answer(value)
                continue
            if answer is None:
                answer = self._by_value[key] = _answer(value)
            self._by_id[id(value)] = (value, answer)
            result[code] = answer
        return result


def canonical_json(value: Any) -> str:
    """The one text of a JSON value: sorted keys, no spaces, UTF-8 kept, decimals as strings
    in their shortest exact form (`decimal_text`), whatever database they were read from.

    The bytes are those of `json.dumps(value, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)`, made ten times faster by orjson (a national round's inputs are
    ~20 MB); a property test holds the two to the same text. Snapshots hold no floats (points
    are decimal strings), the one place where the two libraries would write a number apart.
    """
    return canonical_bytes(value).decode("utf-8")


def canonical_bytes(value: Any) -> bytes:
    """`canonical_json` in UTF-8, as it is hashed and kept in the shared cache."""
    return orjson.dumps(value, default=_default, option=orjson.OPT_SORT_KEYS)


def parse_json(text: str | bytes) -> Any:
    """A snapshot's stored text back as data (orjson: the inputs of a national round are
    ~20 MB of small objects)."""
    return orjson.loads(text)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return decimal_text(value)
    raise TypeError(f"not JSON: {value!r}")


def decimal_text(value: Decimal) -> str:
    """A number's one text: no exponent, no trailing zeros, no negative zero (0.50 → "0.5").

    SQLite hands back 0.5 where PostgreSQL hands back 0.50 for the same stored points; both
    become "0.5", so a round has the same snapshot and SHA-256 on either database.
    """
    if not value.is_finite():
        raise TypeError(f"not a finite number: {value!r}")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _content(engine_version: str, *texts: str | bytes) -> Iterator[bytes]:
    """A snapshot's hashed content piece by piece: the engine version, the inputs and the
    outputs, one per line, in UTF-8 (~30 MB in a national round: never joined into a copy)."""
    yield engine_version.encode("utf-8")
    for text in texts:
        yield b"\n"
        yield text.encode("utf-8") if isinstance(text, str) else text


def digest(engine_version: str, inputs_text: str | bytes, outputs_text: str | bytes) -> str:
    """SHA-256 of a snapshot: the engine version, the inputs and the outputs, one per line."""
    sha = hashlib.sha256()
    for piece in _content(engine_version, inputs_text, outputs_text):
        sha.update(piece)
    return sha.hexdigest()


def seal(key: str, engine_version: str, inputs_text: str | bytes, outputs_text: str | bytes) -> str:
    """HMAC-SHA256 of the same content under the publication key: whoever rewrites inputs,
    outputs and SHA-256 together still cannot make it match without the key."""
    mac = hmac.new(key.encode("utf-8"), digestmod=hashlib.sha256)
    for piece in _content(engine_version, inputs_text, outputs_text):
        mac.update(piece)
    return mac.hexdigest()


_ENGINE_DIR = Path(engine.__file__).resolve().parent


@functools.cache
def engine_version() -> str:
    """The engine's version: a digest of its source files (any change to the arithmetic shows;
    read once per process, as the code it describes)."""
    sha = hashlib.sha256()
    for path in sorted(_ENGINE_DIR.rglob("*.py")):
        relative = path.relative_to(_ENGINE_DIR)
        if relative.parts[0] == "tests":
            continue
        sha.update(str(relative).encode())
        sha.update(path.read_bytes())
    return f"engine-{sha.hexdigest()[:16]}"


@dataclass(frozen=True)
class UnitInfo:
    """A unit as it took part in the round: code, name and ranking group."""

    code: str
    name: str
    group: str
    previous_codes: tuple[str, ...] = ()  # its own or its predecessors' codes in earlier rounds


class LazyWhenUnpickled:
    """An object some of whose attributes (`_lazy`) are pickled in a compact form (`_pack`) and
    rebuilt only when something reads them after unpickling (`_unpack`): results in the shared
    cache hold ~10^5 objects that most pages never read."""

    _lazy: ClassVar[tuple[str, ...]]

    def _pack(self, name: str, value: Any) -> Any:
        raise NotImplementedError

    def _unpack(self, name: str, packed: Any) -> Any:
        raise NotImplementedError

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for name in self._lazy:
            if name in state:  # read (or never packed): packed again; else still packed
                state[f"_packed_{name}"] = self._pack(name, state.pop(name))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:  # only for what the instance lacks
        packed = self.__dict__.get(f"_packed_{name}") if name in self._lazy else None
        if packed is None:
            raise AttributeError(name)
        self.__dict__[name] = value = self._unpack(name, packed)
        return value


@dataclass
class TypeResults(LazyWhenUnpickled):
    """The results of one unit type (or its peer groups) under one index set."""

    code: str
    name: str
    index_set: engine.IndexSet
    scores: RoundScores
    units: dict[str, UnitInfo]
    details: Mapping[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # Pickled (into the shared cache), the scores and the details (self and appraised points,
    # reasons: ~10^5 objects each in a national round) travel as compressed pickles, read on
    # first use: the ranking, the one page every user opens, reads the rows `_cache` keeps, and
    # only a unit's page and its export read the details (issue 15).
    _lazy = ("scores", "details")

    def _pack(self, name: str, value: Any) -> bytes:
        return pack(value)

    def _unpack(self, name: str, packed: bytes) -> Any:
        return unpack(packed)

    def ranked(self) -> list[str]:
        """Unit codes by group, then rank, then code."""
        return list(self.cached("ranked", lambda: self.scores.ranked()))

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """A value derived from these (immutable) results, computed once per object."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def score(self, unit_code: str) -> UnitScore:
        return self.scores.units[unit_code]


def pack(value: Any) -> bytes:
    """A value as a compressed pickle (the shared cache's form of results)."""
    return compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def unpack(packed: bytes) -> Any:
    """A compressed pickle read back (with the collector paused: `collector_paused`)."""
    with collector_paused():
        return pickle.loads(decompress(packed))


def compress(data: bytes) -> bytes:
    """Bytes as the shared cache keeps them: an lz4 frame. A national round's results and
    snapshot texts are ~35 MB; lz4 writes them about eight times faster than zlib's fastest
    level and reads them back about four times faster, for about a quarter more bytes."""
    return lz4.frame.compress(data)


def decompress(data: bytes) -> bytes:
    """`compress` undone: ValueError for anything else (an entry an earlier version wrote)."""
    try:
        result: bytes = lz4.frame.decompress(data)
    except RuntimeError as error:
        raise ValueError(f"not an lz4 frame: {error}") from error
    return result


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """CPython's cyclic garbage collector paused while a round's results are read, gathered or
    computed: building 10^5–10^6 objects would otherwise start a collection every few hundred
    of them, each walking the process's whole heap (a quarter of `verify` at national scale,
    more than half of reading cached results), and nothing being built can be garbage yet.
    Whole operations are paused (publication, `verify`, building the results a cache keeps),
    not only their steps: in between, the first collection would walk the 10^6 objects the
    earlier steps built (a fifth of publishing with nothing cached). Also as a decorator;
    nested uses leave the collector as the outermost found it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class RoundResults:
    """Every unit type's results in a round; provisional until the round is published."""

    round_code: str
    year: int
    name: str
    is_provisional: bool
    types: dict[str, TypeResults]
    sha256: str = ""

    def unit_type_of(self, unit_code: str) -> TypeResults | None:
        """The unit type whose results include this unit."""
        for results in self.types.values():
            if unit_code in results.units:
                return results
        return None

    @cached_property
    def unit_count(self) -> int:
        return sum(len(results.units) for results in self.types.values())


@collector_paused()
def compute(inputs: Mapping[str, Any], *, is_provisional: bool, sha256: str = "") -> RoundResults:
    """Score every unit type of a round from its inputs with the engine."""
    types: dict[str, TypeResults] = {}
    for block in inputs["unit_types"]:
        index_set = engine.parse_index_set(block["index_set"])
        units = {
            row["code"]: UnitInfo(
                row["code"], row["name"], row["group"], tuple(row.get("previous_codes", ()))
            )
            for row in block["units"]
        }
        convert = _Answers()
        answers = {unit: convert.of(block["answers"][unit]) for unit in units}
        survey = {unit: convert.of(values) for unit, values in block["survey"].items() if values}
        groups = {unit: info.group for unit, info in units.items()}
        scores = engine.score_round(index_set, answers, groups=groups, survey_by_unit=survey)
        types[block["code"]] = TypeResults(
            code=block["code"],
            name=block["name"],
            index_set=index_set,
            scores=scores,
            units=units,
            details=block.get("details", {}),
        )
    meta = inputs["round"]
    return RoundResults(
        round_code=meta["code"],
        year=meta["year"],
        name=meta["name"],
        is_provisional=is_provisional,
        types=types,
        sha256=sha256,
    )


def outputs_of(results: RoundResults) -> dict[str, Any]:
    """A round's published figures as plain JSON: per unit rank, points, index, band, areas."""
    texts = _PointsTexts()
    blocks = []
    for type_results in results.types.values():
        scores = type_results.scores
        rows = []
        for unit in type_results.ranked():
            score = scores.units[unit]
            leaves = map(texts.__getitem__, score.leaf_hundredths())
            rows.append(
                {
                    "unit_code": unit,
                    "rank": scores.ranks[unit],
                    "points": str(score.points),
                    "max_points": str(score.max_points),
                    "index_percent": str(score.index_percent),
                    "band": score.band.code,
                    "bonus_points": str(score.bonus_points),
                    "penalty_points": str(score.penalty_points),
                    "areas": {
                        area.code: None if area.percent is None else str(area.percent)
                        for area in score.areas
                    },
                    "leaves": dict(zip(score.leaf_codes(), leaves, strict=True)),
                }
            )
        blocks.append({"code": type_results.code, "units": rows})
    return {"unit_types": blocks}


class _PointsTexts(dict[int | None, str | None]):
    """Leaf points in hundredths → their published text (1250 → "12.50", None → None), each
    distinct one written once: a national round has 10^5 leaf points, few distinct."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, hundredths: int | None) -> str | None:
        assert hundredths is not None
        text = self[hundredths] = str(engine.points(hundredths))
        return text


# The parts of a unit type's inputs that are assessment data: once published, none may change.
# Unit names, ranking groups and the round's title may be edited later and are not compared.
ASSESSMENT_INPUTS = ("index_set", "answers", "survey", "details")


def input_differences(stored: Mapping[str, Any], live: Mapping[str, Any]) -> list[str]:
    """Every difference between a snapshot's inputs and the same inputs gathered now (both as
    parsed canonical JSON), as `path: stored ≠ live` lines."""
    problems: list[str] = []
    stored_types = {block["code"]: block for block in stored["unit_types"]}
    live_types = {block["code"]: block for block in live["unit_types"]}
    for code in sorted(set(stored_types) | set(live_types)):
        before, now = stored_types.get(code, {}), live_types.get(code, {})
        path = f"inputs.{code}"
        units = (
            [u["code"] for u in before.get("units", [])],
            [u["code"] for u in now.get("units", [])],
        )
        if sorted(units[0]) != sorted(units[1]):
            problems.append(f"{path}.units: {sorted(units[0])!r} ≠ {sorted(units[1])!r}")
        for key in ASSESSMENT_INPUTS:
            _diff(
                _comparable(key, before.get(key)),
                _comparable(key, now.get(key)),
                f"{path}.{key}",
                problems,
            )
    return problems


def _comparable(key: str, value: Any) -> Any:
    """Points in `details` as `decimal_text` (snapshots published before it wrote 0.50)."""
    if key != "details" or not isinstance(value, dict):
        return value
    return {
        unit: {
            code: {
                name: _points_text(text) if name in ("self", "appraised") else text
                for name, text in detail.items()
            }
            for code, detail in leaves.items()
        }
        for unit, leaves in value.items()
    }


def _points_text(text: Any) -> Any:
    try:
        return decimal_text(Decimal(str(text)))
    except (ArithmeticError, TypeError):  # not a number: compared as it is
        return text


def differences(stored: Mapping[str, Any], recomputed: Mapping[str, Any]) -> list[str]:
    """Every figure that differs between two outputs, as `path: stored ≠ recomputed` lines."""
    problems: list[str] = []
    _diff(stored, recomputed, "outputs", problems)
    return problems


def _diff(first: Any, second: Any, path: str, problems: list[str]) -> None:
    if isinstance(first, dict) and isinstance(second, dict):
        for key in sorted(set(first) | set(second), key=str):
            _diff(first.get(key), second.get(key), f"{path}.{key}", problems)
    elif isinstance(first, list) and isinstance(second, list):
        if len(first) != len(second):
            problems.append(f"{path}: {len(first)} rows ≠ {len(second)} rows")
        for position, (left, right) in enumerate(zip(first, second, strict=False)):
            key = left.get("unit_code") or left.get("code") if isinstance(left, dict) else None
            _diff(left, right, f"{path}[{key or position}]", problems)
    elif first != second:
        problems.append(f"{path}: {first!r} ≠ {second!r}")
