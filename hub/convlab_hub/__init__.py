"""The course on a real JupyterHub (`make hub`): accounts, folders, jails and the locked exchange.

- `layout`: where everything lives under the hub's root folder, and the accounts' names;
- `accounts`: the local Unix users and groups of the class (idempotent) and their passwords;
- `jail`: the command that runs a user's server (or the formgrader service) in a bubblewrap mount
  namespace that shows only what that account may use;
- `exchange`: nbgrader's file exchange with permissions that hold even when a name is known;
- `run`: `python -m convlab_hub start|stop|prepare|remove` (what `make hub` and `make hub-stop` call).
"""
