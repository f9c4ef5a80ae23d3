"""Loopback servers speaking the SMTP, Twilio and cloud shapes (tests, `leadcartel sandbox`)."""

from leadcartel_desktop.sandbox.controls import Controls, Fault, FaultKind, Received
from leadcartel_desktop.sandbox.runner import Credentials, Sandbox

__all__ = ["Controls", "Credentials", "Fault", "FaultKind", "Received", "Sandbox"]
