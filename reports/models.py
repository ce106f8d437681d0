from django.db import models  # noqa: F401  (progress reports arrive with the reporting issue)
