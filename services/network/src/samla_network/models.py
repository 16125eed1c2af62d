"""Imports every model so the metadata (migrations, the models-match-migrations test) sees all tables."""

from samla_network.directory.models import Attendee, Seat
from samla_network.draws.models import LeadershipDraw
from samla_network.groups.models import CheckIn, Meeting, Membership, NetworkGroup
from samla_network.mail.models import QueuedMail
from samla_network.profiles.models import Profile
from samla_network.pulses.models import Pulse
from samla_network.runs.models import MatchingRun

__all__ = ["Attendee", "CheckIn", "LeadershipDraw", "MatchingRun", "Meeting", "Membership", "NetworkGroup",
           "Profile", "Pulse", "QueuedMail", "Seat"]
