"""nbgrader settings of the formgrader service (the course's own nbgrader_config.py, in its root, adds the rest)."""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.Exchange.root = os.environ["CONVLAB_EXCHANGE"]
# Only a student's own submissions are collected; feedback is readable by its student only.
c.ExchangeFactory.collect = "convlab_hub.exchange.LockedCollect"
c.ExchangeFactory.release_feedback = "convlab_hub.exchange.LockedReleaseFeedback"
