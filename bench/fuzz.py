"""Fuzz plan files and card texts: every case is refused with a message or stores exactly what its text says.

    python bench/fuzz.py [--plans 3000] [--cards 10000] [--seed 1] [--no-write]

Plan files are the examples, mutated at random (a number replaced by number-like text, ` #` put into a title,
characters inserted, lines dropped, doubled or re-indented, the file cut short, deep nesting, huge titles); each
goes through `cycle import` (the service, on a real SQLite store). Card texts are `Current:`/`Target:` fields
with number-like text, read as sync reads them. A case passes when it is refused with a PlanError (the message a
person reads) or when what was stored equals what the text says, read by an independent oracle (separators
removed, decimal mark made a point, Python's Decimal). Anything else, an exception of another kind (a
traceback) or a different stored value, is counted and the first few are printed. The result goes to
docs/reliability.md.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from report import write_section  # noqa: E402 - bench/ is not a package

from addon.adapters.store import Store  # noqa: E402
from addon.domain.board.card_text import parse_kr_description  # noqa: E402
from addon.domain.errors import OkrError, PlanError  # noqa: E402
from addon.domain.numbers import NBSP, NNBSP  # noqa: E402
from addon.services.cycles import import_plan_file  # noqa: E402

EXAMPLES = [ROOT / "examples" / "company-q1.yaml", ROOT / "examples" / "entreprise-t1-fr.yaml"]
NUMBER_KEYS = ("start", "target", "current", "impact", "effort", "weight")
TYPED = "0123456789,. _-+\u2212%exXkKM\u00a0\u202f\u0663abc"
GROUP = {"en": ",", "fr": f" {NBSP}{NNBSP}"}
DECIMAL = {"en": ".", "fr": ","}
PLAIN = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


def oracle(text: str, language: str, *, plain_too: bool = False) -> Decimal | None:
    """What a number's text says, read without the app: its leading number with separators out."""
    text = text.strip().replace("\u2212", "-")
    if plain_too and PLAIN.fullmatch(text):
        return Decimal(text)
    head = re.match(rf"[-+]?[0-9{re.escape(GROUP[language])}]+(?:{re.escape(DECIMAL[language])}[0-9]+)?", text)
    if head is None:
        return None
    digits = head.group(0)
    for char in GROUP[language]:
        digits = digits.replace(char, "")
    try:
        return Decimal(digits.replace(DECIMAL[language], "."))
    except InvalidOperation:
        return None


def number_text(rng: random.Random) -> str:
    """Number-like text: sometimes well formed, often not."""
    if rng.random() < 0.4:
        value = rng.choice([rng.randint(0, 10 ** rng.randint(1, 16)), round(rng.uniform(-1e6, 1e6), rng.randint(0, 4))])
        text = f"{value:,}" if rng.random() < 0.5 else str(value)
        return text if rng.random() < 0.7 else text.replace(",", rng.choice([" ", ".", "_", NBSP]))
    return "".join(rng.choice(TYPED) for _ in range(rng.randint(1, 14))).strip() or "0"


def mutate_plan(text: str, rng: random.Random) -> tuple[str, dict[int, str]]:
    """Return a mutated plan and, per line number, the number text put after a key there."""
    lines, numbers = text.split("\n"), {}
    for _ in range(rng.randint(1, 4)):
        if not lines:
            break
        op = rng.randrange(9)
        index = rng.randrange(len(lines))
        line = lines[index]
        if op <= 2:  # a number replaced
            spots = [i for i, t in enumerate(lines) if re.match(rf"\s*(- )?({'|'.join(NUMBER_KEYS)}): ", t)]
            if spots:
                index = rng.choice(spots)
                key = re.match(r"(\s*(?:- )?\w+: )", lines[index]).group(1)
                typed = number_text(rng).replace("#", "")
                lines[index] = key + typed
                numbers[index] = typed
        elif op == 3 and "title: " in line:  # a ` #` in a title
            lines[index] = line + rng.choice([" #1 in DACH", " # second part", "#tag"])
        elif op == 4:
            at = rng.randrange(len(line) + 1)
            lines[index] = line[:at] + rng.choice(["'", '"', ":", " #", "[", "{", "\t", "*a", "&a ", "%"]) + line[at:]
        elif op == 5:
            del lines[index]
        elif op == 6:
            lines.insert(index, line)
        elif op == 7:
            lines[index] = " " * rng.randint(0, 6) + line.lstrip()
        elif rng.random() < 0.5:
            lines = lines[: rng.randrange(1, len(lines) + 1)]
        else:
            lines.append(rng.choice(["extra: " + "[" * 200 + "]" * 200, "  - title: " + "x" * 300]))
        keys = "|".join(NUMBER_KEYS)
        numbers = {  # only numbers YAML still sees as written (a later edit may have moved or cut them)
            i: t
            for i, t in numbers.items()
            if i < len(lines) and re.fullmatch(rf"\s*(- )?({keys}): {re.escape(t)}", lines[i])
        }
    return "\n".join(lines), numbers


def _stored_numbers(cycle) -> list[float | None]:
    values = []
    for objective in cycle.objectives:
        for kr in objective.key_results:
            values += [kr.start, kr.target, kr.current, kr.weight]
            values += [v for idea in kr.ideas for v in (idea.impact, idea.effort)]
    return values


def fuzz_plans(count: int, rng: random.Random, store: Store, folder: Path, outcomes: Counter, failures: list) -> None:
    """Import mutated plans; count refusals, imports, tracebacks and stored values that differ from the text."""
    sources = [(path.read_text(encoding="utf-8"), "fr" if "fr" in path.name else "en") for path in EXAMPLES]
    path = folder / "plan.yaml"
    for case in range(count):
        source, language = rng.choice(sources)
        text, numbers = mutate_plan(source, rng)
        path.write_text(text, encoding="utf-8")
        try:
            cycle, _ = import_plan_file(path, store, "fuzz", as_new=True)
        except PlanError:
            outcomes["plan refused"] += 1
            continue
        except OkrError:
            outcomes["plan refused"] += 1
            continue
        except Exception as error:  # noqa: BLE001 - what the fuzz run looks for
            outcomes["traceback"] += 1
            failures.append(f"plan case {case}: {error.__class__.__name__}: {error}")
            continue
        outcomes["plan imported"] += 1
        with store.unit("fuzz") as uow:
            stored = uow.cycles.get(cycle.id)
            uow.cycles.delete(cycle.id)
        wrong = _stored_numbers(stored) != _stored_numbers(cycle)
        for typed in numbers.values():
            expected = oracle(typed, language, plain_too=True)
            if expected is None or float(expected) not in _stored_numbers(stored):
                wrong = True
        if wrong:
            outcomes["wrong value"] += 1
            failures.append(f"plan case {case}: stored {_stored_numbers(stored)} for {sorted(numbers.values())}")


def fuzz_cards(count: int, rng: random.Random, outcomes: Counter, failures: list) -> None:
    """Read card texts as sync does; count findings, values read, tracebacks and values that differ."""
    labels = {"en": ("Current", "Target"), "fr": ("Actuel", "Cible")}
    for case in range(count):
        language = rng.choice(["en", "fr"])
        current, target = number_text(rng), number_text(rng)
        names = labels[language]
        text = f"<p>{names[1]}: {target} · {names[0]}: {current} · Score: {rng.choice(['0.5', '70%', '?', 'abc'])}</p>"
        try:
            parsed = parse_kr_description(text, language)
        except Exception as error:  # noqa: BLE001 - what the fuzz run looks for
            outcomes["traceback"] += 1
            failures.append(f"card case {case}: {error.__class__.__name__}: {error} for {text!r}")
            continue
        for read, typed in ((parsed.current, current), (parsed.target, target)):
            if read is None:
                outcomes["card finding or empty"] += 1
                continue
            outcomes["card value read"] += 1
            expected = oracle(typed, language)
            if expected is None or float(expected) != read:
                outcomes["wrong value"] += 1
                failures.append(f"card case {case}: read {read} from {typed!r}")


def run(plans: int, cards: int, seed: int) -> tuple[Counter, list[str], float]:
    """Run the fuzz; return the outcome counts, the failures and the seconds taken."""
    rng, outcomes, failures = random.Random(seed), Counter(), []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'fuzz.sqlite3'}")
        try:
            fuzz_plans(plans, rng, store, Path(folder), outcomes, failures)
        finally:
            store.close()
    fuzz_cards(cards, rng, outcomes, failures)
    return outcomes, failures, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=3000)
    parser.add_argument("--cards", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    outcomes, failures, seconds = run(args.plans, args.cards, args.seed)
    lines = [
        f"Command: `python bench/fuzz.py --plans {args.plans} --cards {args.cards} --seed {args.seed}` "
        f"({seconds:.0f} s)",
        "",
        "| outcome | cases |",
        "|---|---|",
        f"| plan files | {args.plans} |",
        f"| card texts (two numbers each) | {args.cards} |",
        *(f"| {name} | {outcomes[name]} |" for name in sorted(outcomes) if name not in ("traceback", "wrong value")),
        f"| **traceback** | **{outcomes['traceback']}** |",
        f"| **wrong stored value** | **{outcomes['wrong value']}** |",
    ]
    report = "\n".join(lines)
    print(report)
    for failure in failures[:20]:
        print("  " + failure)
    if not args.no_write:
        write_section("fuzz", report, ROOT / "docs" / "reliability.md")
    return 1 if outcomes["traceback"] or outcomes["wrong value"] else 0


if __name__ == "__main__":
    sys.exit(main())
