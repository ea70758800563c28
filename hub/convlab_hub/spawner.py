"""JupyterHub's local-process spawner, with each server started in its jail (see jail.py)."""

from __future__ import annotations

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Unicode

from convlab_hub.jail import jail_argv, server_command
from convlab_hub.layout import Hub


class JailedSpawner(LocalProcessSpawner):
    """A student's or staff member's own server, run as them inside a bubblewrap mount namespace."""

    settings_file = Unicode(help="the hub's settings (written by `python -m convlab_hub prepare`)").tag(config=True)

    def make_preexec_fn(self, name):
        # Root builds the namespace; setpriv inside it drops to the user (no setuid before exec).
        return None

    async def start(self):
        hub = Hub.load(self.settings_file)
        home = hub.home(self.user.name)
        self.cmd = jail_argv(hub, self.user.name, home) + server_command(hub)
        return await super().start()
