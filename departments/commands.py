"""What every management command of the project shares: its errors said in Chinese.

Django prints a refused command as ``CommandError: …`` (the exception's class
name). Commands that subclass ``BaseCommand`` from here print ``错误：…`` instead,
with the same exit status; called from code (``call_command``) they raise
CommandError as before.
"""

import sys

from django.core.management.base import BaseCommand as DjangoBaseCommand
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

__all__ = ["BaseCommand", "CommandError"]


class BaseCommand(DjangoBaseCommand):
    """Django's BaseCommand whose CommandError reaches the terminal as ``错误：<message>`` (exit status kept)."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(_("错误：%(message)s") % {"message": exc})
            sys.exit(exc.returncode)
