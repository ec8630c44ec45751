"""A company board's roll-up frame: its team cycles with their scores, and each team objective under the company
objective it supports (rule M12 flags those aligned to nothing), placed below the board's reserved blocks.

The frame holds two shapes (`PANEL_KEYS`) whose text generation writes and sync refreshes; nothing in it is read
back, so the team's edits elsewhere on the board never depend on it.
"""

from __future__ import annotations

import math
from dataclasses import replace

from addon.domain.board import card_text
from addon.domain.board.plan import BoardPlan, Context, PlannedItem, frame_item, make_slots, shape_item
from addon.domain.board.roles import Role
from addon.domain.method.model import Cycle, Level
from addon.domain.method.rules import CYCLE_REF, check_alignment
from addon.domain.method.scoring import cycle_score, objective_score

FRAME_KEY = "frame:rollup"
TEAMS_KEY, ALIGNMENT_KEY = "rollup:teams", "rollup:alignment"
PANEL_KEYS = (TEAMS_KEY, ALIGNMENT_KEY)
LINE_HEIGHT = 1.4  # a line of text is this many times its font size
# The frame is the board's widest after the Kanban: where it fills a 1920 x 1080 screen (zoom about 0.54) the
# heading size draws about 21 px, as the header's body text does where the header fills it (docs/board.md).
FONT = "heading"


def _score(score: float | None, language: str) -> str:
    return "–" if score is None else card_text.format_score(score, language)


def _html(lines: list[tuple[str, bool]]) -> str:
    """Return escaped paragraphs, the ones marked True in bold."""
    return "".join(
        f"<p><strong>{card_text.escape_text(t)}</strong></p>" if bold else f"<p>{card_text.escape_text(t)}</p>"
        for t, bold in lines
    )


def _fit(ctx: Context, lines: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Keep the lines a panel has room for (a long line wraps, at a generous 0.6 em a character); the last one
    then says how many more there are."""
    settings, size = ctx.template["rollup"], int(ctx.font(FONT))
    room = int((settings["panel"]["height"] - settings["padding"]) / (size * LINE_HEIGHT))
    per_line = max(1, int((settings["panel"]["width"] - settings["padding"]) / (0.6 * size)))
    heights = [max(1, math.ceil(len(text) / per_line)) for text, _ in lines]
    if sum(heights) <= room:
        return lines
    kept, used = [], 1  # a line for "… and N more"
    for line, height in zip(lines, heights, strict=True):
        if used + height > room:
            break
        kept.append(line)
        used += height
    return kept + [(ctx.label("findings_more", count=len(lines) - len(kept)), False)]


def team_lines(ctx: Context, teams: list[Cycle]) -> list[tuple[str, bool]]:
    """Return the team-cycles panel: each team cycle with its score (the mean of its objective scores)."""
    lines = [(ctx.label("rollup_teams", count=len(teams)), True)]
    if not teams:
        return lines + [(ctx.label("rollup_none"), False)]
    for team in teams:
        score = _score(cycle_score(team), ctx.language)
        lines.append((ctx.label("rollup_team", team=team.team or "?", name=team.name, score=score), False))
    return lines


def alignment_lines(ctx: Context, company: Cycle, teams: list[Cycle]) -> list[tuple[str, bool]]:
    """Return the alignment panel: under each company objective the team objectives that support it, then the
    team objectives and cycles rule M12 flags (aligned to nothing, to an objective the company lacks, ...)."""
    lines = [(ctx.label("rollup_alignment"), True)]
    flags: list[tuple[str, bool]] = []
    supporting: dict[str, list[str]] = {}
    for team in teams:
        found = {f.ref: f for f in check_alignment(team, company)}
        name = team.team or team.name
        for index, objective in enumerate(team.objectives, start=1):
            ref = f"O{index}"
            score = _score(objective_score(objective), ctx.language)
            line = ctx.label("rollup_team_objective", team=name, ref=ref, title=objective.title, score=score)
            if ref in found:
                flags.append((ctx.label("rollup_flag", team=name, ref=ref, text=found[ref].text(ctx.language)), False))
            else:
                supporting.setdefault(objective.aligned_to or "", []).append(line)
        if CYCLE_REF in found:
            text = found[CYCLE_REF].text(ctx.language)
            flags.insert(0, (ctx.label("rollup_flag", team=name, ref=team.name, text=text), False))
    for index, objective in enumerate(company.objectives, start=1):
        ref = f"O{index}"
        lines.append((ctx.label("rollup_company_objective", ref=ref, title=objective.title), True))
        lines += [(line, False) for line in supporting.get(ref, [])] or [(ctx.label("rollup_unsupported"), False)]
    if flags:
        lines += [(ctx.label("rollup_unaligned"), True)] + flags
    return lines


def panel_contents(company: Cycle, teams: list[Cycle], template: dict, language: str) -> dict[str, str]:
    """Return the HTML each roll-up panel shows now, by its journal key."""
    ctx = Context(company, template, language, None, (), make_slots(company, template))
    return {
        TEAMS_KEY: _html(_fit(ctx, team_lines(ctx, teams))),
        ALIGNMENT_KEY: _html(_fit(ctx, alignment_lines(ctx, company, teams))),
    }


def with_rollup(plan: BoardPlan, company: Cycle, teams: list[Cycle], template: dict, language: str) -> BoardPlan:
    """Return a company cycle's board plan with its roll-up frame below every reserved block (other cycles' plans
    unchanged)."""
    if company.level is not Level.COMPANY:
        return plan
    ctx = Context(company, template, language, None, (), make_slots(company, template))
    settings = template["rollup"]
    pad, gap = settings["padding"], settings["gap"]
    panel_w, panel_h = settings["panel"]["width"], settings["panel"]["height"]
    width, height = 2 * pad + 2 * panel_w + gap, 2 * pad + panel_h
    frame = frame_item(ctx, FRAME_KEY, Role.ROLLUP_FRAME, ctx.label("frame_rollup"), 0, 0, width, height)
    # The plan is centred on the board's origin; the frame goes one board gap below its bottom edge, at its left.
    left, top = -plan.width / 2, plan.height / 2 + template["board"]["gap"]
    frame = replace(frame, x=frame.x + left, y=frame.y + top)
    contents = panel_contents(company, teams, template, language)
    panels = []
    for index, key in enumerate(PANEL_KEYS):
        box = (left + pad + index * (panel_w + gap), top + pad, panel_w, panel_h)
        panels.append(
            shape_item(
                ctx,
                key,
                Role.ROLLUP_PANEL,
                FRAME_KEY,
                box,
                contents[key],
                template["colours"]["panel"],
                font=FONT,
                align="left",
            )
        )
    items: list[PlannedItem] = plan.items[:]
    frames = sum(1 for item in items if item.parent_key is None)
    items[frames:frames] = [frame]  # frames first, then their children (the plan's order)
    return BoardPlan(items + panels, plan.areas, plan.width, plan.height + template["board"]["gap"] + height)
