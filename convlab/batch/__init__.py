"""`python -m convlab batch ASSIGNMENT`: grade a whole class in parallel, exactly as `nbgrader autograde`.

Each submission (`submitted/<student>/<assignment>/`) is one task. A worker runs nbgrader's own
`Autograde` converter for that one student (so the sanitising steps, `GradeWithEngine`,
`SaveAutoGrades` and the late penalty are nbgrader's, configured by nbgrader_config.py) in a private
temporary folder, with every gradebook session serialised (see convlab/integration/gradebook_db.py), and sends
back the autograded folder's files. The parent swaps them into `autograded/<student>/<assignment>/`
with renames, so a folder there is always complete: an interrupted or failed task leaves the old one
(or none) and is graded again by the next run.

Workers are local processes (`--workers N`) or Dask workers (`--scheduler tcp://host:8786`); tasks
carry the submission's bytes, so Dask workers need only the course checkout and a gradebook server.
A worker that dies mid-task gets its submission retried once on a fresh worker; a task that exceeds
`--timeout` is killed with its kernel and reported. Either way the student is reported with zero
and the rest of the class is graded.

Modules, in the order a submission meets them: `selection` (what needs grading) → `tasks` (the
data a worker receives and sends back) → `worker` (nbgrader's Autograde for one student) → `local_pool`
or `dask_cluster` (where workers run) → `commit` (the autograded folder swapped into place) →
`progress` and `run` (the whole batch, its summary).
"""


from convlab.batch.commit import commit
from convlab.batch.progress import Progress
from convlab.batch.run import BatchResult, run_batch, summary
from convlab.batch.selection import needs_grading, submissions
from convlab.batch.tasks import STAGING, StudentLine, Task, TaskResult

__all__ = ["STAGING", "BatchResult", "TaskResult", "Progress", "StudentLine", "Task", "commit", "needs_grading",
           "run_batch", "submissions", "summary"]
