"""A real kill: `okrboard generate` is SIGKILLed mid-generation, run again, and the board is exactly its plan.

The emulator runs in this process; its latency hook kills the CLI process when the Nth API request arrives, so
the kill lands at the same point on every run, and that request is still carried out after the client died
(an answer lost with the process).
"""

import signal

import pytest

from tests.services import fault_schedules as schedules


@pytest.mark.parametrize("kill_at", [2, 12, 30, 45])
def test_generation_killed_mid_way_resumes_to_exactly_the_plan(tmp_path, kill_at):
    result = schedules.run_kill(tmp_path, kill_at)
    assert result.killed and result.returncode == -signal.SIGKILL, result.output
    assert result.boards_after_kill == 1 and 0 < result.items_after_kill < result.planned  # killed mid-way
    assert result.resumed_runs == 1, result.output
    assert result.adopted >= 1  # what was in flight at the kill was found, not sent again
    assert result.exact, (result.comparison, result.boards, result.journal_problems[:3])


def test_generation_killed_under_faults_resumes_to_exactly_the_plan(tmp_path):
    schedule = schedules.Schedule(seed=7, rates={"5xx": 0.05, "lost": 0.08, "timeout": 0.03}, concurrency=4)
    result = schedules.run_kill(tmp_path, 25, schedule)
    assert result.killed and result.returncode == -signal.SIGKILL, result.output
    assert result.exact, (result.comparison, result.boards, result.journal_problems[:3], result.output[-2000:])
