"""What the writing side announces, for apps above it (reminders) to act on without being imported here."""

from django.dispatch import Signal

# Sent inside the review's transaction with ``review`` (a progress.models.Review, its report
# and the report's assignment and task loaded). Receivers that write do so in that transaction.
report_reviewed = Signal()
