"""Signals inside the eLearning app (ADR 0033).

`required_modules_completed` is sent once, in the transaction that completes a person's last
required module (sender=ModuleProgress, user=the person): the request queue connects to it to
raise "Completed eLearning - create account" for each site the person is current at.
"""

from django.dispatch import Signal

required_modules_completed = Signal()
