"""JupyterHub configuration of the course (`make hub`; read by `python -m convlab_hub start`).

The settings (folders, ports, account names) come from the file `python -m convlab_hub prepare`
wrote: `CONVLAB_HUB_SETTINGS` names it. See README, "Running a course on JupyterHub".
"""

import os

from convlab_hub.jail import jail_argv, server_command
from convlab_hub.layout import COURSE_ID, STAFF_GROUP, STUDENT_GROUP, Hub

c = get_config()  # noqa: F821 - provided by traitlets when JupyterHub loads this file
hub = Hub.load(os.environ["CONVLAB_HUB_SETTINGS"])

# --- Network: everything on 127.0.0.1 ---------------------------------------------------------
c.JupyterHub.bind_url = f"{hub.url}/"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = hub.hub_port
# The proxy from npm, pinned in hub/package.json and installed by `make hub-deps`.
c.ConfigurableHTTPProxy.command = [str(hub.repo / "hub" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{hub.proxy_api_port}"
c.ConfigurableHTTPProxy.should_start = True
c.ConfigurableHTTPProxy.pid_file = str(hub.state / "jupyterhub-proxy.pid")

# --- State: root-only files under <root>/state --------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{hub.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(hub.state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(hub.state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every server and the service
c.JupyterHub.shutdown_on_logout = False

# --- Login: local Unix accounts through PAM, offline ---------------------------------------------
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = set(hub.people)  # no other account of the machine may log in
c.Authenticator.admin_users = set()

# --- Each person's server: JupyterLab with the Assignment List, in a jail ----------------------
c.JupyterHub.spawner_class = "convlab_hub.spawner.JailedSpawner"
c.JailedSpawner.settings_file = str(hub.settings_file)
c.Spawner.default_url = "/lab"
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.environment = {
    "PATH": f"{hub.venv / 'bin'}:/usr/bin:/bin",
    "PYTHONPATH": str(hub.repo / "hub"),  # convlab_hub.exchange.LockedSubmit
    "JUPYTER_CONFIG_PATH": str(hub.config / "student"),
    "CONVLAB_EXCHANGE": str(hub.exchange),
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# --- Formgrader: a service run as the grader account, reached by the staff group only -----------
# As nbgrader's docs set it up for a course shared by several graders ("one class, multiple graders").
c.JupyterHub.services = [
    {
        "name": COURSE_ID,
        "url": f"http://127.0.0.1:{hub.service_port}",
        "command": jail_argv(hub, hub.grader, hub.course, staff=True) + server_command(hub),
        "cwd": str(hub.course),
        "oauth_no_confirm": True,
        "display": True,
        "environment": {
            "HOME": str(hub.home(hub.grader)),
            "USER": hub.grader,
            "PATH": f"{hub.venv / 'bin'}:/usr/bin:/bin",
            "PYTHONPATH": f"{hub.repo / 'hub'}:{hub.course}",
            "JUPYTER_CONFIG_PATH": str(hub.config / "grader"),
            "CONVLAB_EXCHANGE": str(hub.exchange),
            "JUPYTERHUB_DEFAULT_URL": "/formgrader",
            "TF_ENABLE_ONEDNN_OPTS": "0",
            "TF_CPP_MIN_LOG_LEVEL": "2",
        },
    },
]
c.JupyterHub.load_groups = {
    STAFF_GROUP: {"users": [hub.instructor, hub.ta]},
    STUDENT_GROUP: {"users": list(hub.students)},
}
c.JupyterHub.load_roles = [
    {
        "name": f"formgrade-{COURSE_ID}",
        "groups": [STAFF_GROUP],
        "scopes": [f"access:services!service={COURSE_ID}", "list:services", f"read:services!service={COURSE_ID}"],
    },
    {
        "name": f"nbgrader-{COURSE_ID}",
        "groups": [STUDENT_GROUP],
        "scopes": ["list:services", f"read:services!service={COURSE_ID}"],
    },
]
if hub.admin_token:
    # Tests and measurements start servers and act as a user through the REST API.
    c.JupyterHub.services.append({"name": "convlab-admin", "api_token": hub.admin_token})
    c.JupyterHub.load_roles.append(
        {"name": "convlab-admin", "services": ["convlab-admin"], "scopes": ["admin:users", "admin:servers", "tokens"]}
    )
