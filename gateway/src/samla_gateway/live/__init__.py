"""Live updates for browsers: the big-screen board and the phones' open prompts as Server-Sent Events.

One `Hub` per gateway process holds the streams. Changes reach it from Kafka (`kafka.py`) or, when the broker
cannot be used, from the feedback service's long-poll change feed (`follow.py`); a ticker per watched stream
refetches it from feedback at most twice a second and hands the same frame to every subscriber. See README.md.
"""
