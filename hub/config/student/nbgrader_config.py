"""nbgrader settings of every student's server (on JUPYTER_CONFIG_PATH, set by the hub)."""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "convlab"
c.Exchange.root = os.environ["CONVLAB_EXCHANGE"]
# Submissions are assembled privately and stay closed to other students (hub/convlab_hub/exchange.py).
c.ExchangeFactory.submit = "convlab_hub.exchange.LockedSubmit"
