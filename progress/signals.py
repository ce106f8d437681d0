"""What the writing side announces, for apps above it (reminders) to act on without being imported here."""

from django.dispatch import Signal

# Sent inside the review's transaction with ``review`` (a progress.models.Review, its report
# and the report's assignment and task loaded). Receivers that write do so in that transaction.
report_reviewed = Signal()

# Sent inside the service's transaction with ``extension`` (a progress.models.ExtensionRequest,
# its assignment, task and department loaded): when a department applies, and when the office decides.
extension_requested = Signal()
extension_decided = Signal()
