"""`convlab batch --scheduler`: one Dask task per submission on a LocalCluster of 2 worker processes,
gradebook on PostgreSQL: expected scores, and the autograded files arrive in the course."""

from __future__ import annotations

import os

import pytest
from support.classes import auto_scores, check_scores, make_course, small_class
from support.grading import ASSIGNMENT, NOTEBOOK

from convlab import batch
from convlab.settings import REPO_ROOT

pytestmark = pytest.mark.slow


def test_dask_local_cluster_grades_the_class_into_postgres(pg_url, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    # Dask workers import graders from the checkout, as a worker started in the course folder does.
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    subs = {k: v for k, v in small_class().items() if k != "no_flip"}
    course = make_course(tmp_path, subs)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        result = batch.run_batch(course, ASSIGNMENT, db_url=pg_url, scheduler=cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            workers_used = len(client.scheduler_info()["workers"])
    assert workers_used == 2
    assert {ln.student: ln.status for ln in result.lines} == dict.fromkeys(subs, "graded")
    check_scores(auto_scores(course, pg_url), subs)
    for student in subs:
        assert (course / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb").exists()
    assert os.environ["PYTHONPATH"] == str(REPO_ROOT)


def test_a_tls_cluster_grades_for_certificate_holders_only(tmp_path, monkeypatch):
    """A cluster started with TLS (distributed.security.Security) takes tasks only from clients that
    hold a certificate of its authority: nothing else on the network can make it run code."""
    distributed = pytest.importorskip("distributed")
    from distributed.security import Security

    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))
    security = Security.temporary()
    subs = {k: v for k, v in small_class().items() if k != "no_flip"}
    course = make_course(tmp_path, subs)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1", protocol="tls://", security=security) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tls://")
        # An intruder with a certificate of its own authority, and one speaking plain TCP.
        for intruder, credentials in ((address, Security.temporary()),
                                      (address.replace("tls://", "tcp://"), Security())):
            with pytest.raises((OSError, TimeoutError)):
                distributed.Client(intruder, timeout="3s", security=credentials)
        result = batch.run_batch(course, ASSIGNMENT, scheduler=address, security=security)
    assert {ln.student: ln.status for ln in result.lines} == dict.fromkeys(subs, "graded")
    scores = auto_scores(course, f"sqlite:///{course / 'gradebook.db'}")
    check_scores(scores, subs)
