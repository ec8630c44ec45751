"""`python -m miro_emulator`: the same command as `okrboard emulator`."""

from miro_emulator.cli import emulator_command

if __name__ == "__main__":
    emulator_command(prog_name="python -m miro_emulator")
