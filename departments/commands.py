"""What every management command of the project shares: its errors said in Chinese, its help translatable.

Django prints a refused command as ``CommandError: …`` (the exception's class
name). Commands that subclass ``BaseCommand`` from here print ``错误：…`` instead,
with the same exit status; called from code (``call_command``) they raise
CommandError as before. Their ``help`` texts may be lazy translations
(gettext_lazy): argparse wants plain strings, so they are made ones when the
parser is built (in the language active then).
"""

import sys

from django.core.management.base import BaseCommand as DjangoBaseCommand
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

__all__ = ["BaseCommand", "CommandError"]


class BaseCommand(DjangoBaseCommand):
    """Django's BaseCommand whose CommandError reaches the terminal as ``错误：<message>`` (exit status kept), and
    whose help texts (the command's and its arguments') may be lazy translations."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = str(parser.description) if parser.description is not None else None
        for action in parser._actions:  # argparse keeps them here; its formatter runs re.sub on each
            if action.help is not None:
                action.help = str(action.help)
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(_("错误：%(message)s") % {"message": exc})
            sys.exit(exc.returncode)
