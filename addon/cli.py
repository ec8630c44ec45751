"""The `okrboard` command line: thin wrappers over the services."""

import click


@click.group()
@click.version_option(package_name="okrboard")
def main() -> None:
    """OKR Board for Miro: run the GTM OKR method on a Miro board."""
