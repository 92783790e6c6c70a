"""Share numbered jobs among this process and forked copies of it.

A fork inherits everything already in memory (posts read, templates loaded), so jobs are
just numbers: nothing but each job's result and the log records travel back, through a
file per worker. Workers take the next job number from a shared counter, so a slow job
does not leave the other core idle.
"""

import gc
import itertools
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import traceback

from pelican.log import FilteredMessage


class WorkerFailed(RuntimeError):
    """A forked worker raised; its traceback is the message."""


def available_cores():
    return len(os.sched_getaffinity(0))


def run_shared(count, job, workers):
    """Run `job(i)` for i in range(count) in `workers` processes; return {i: result} of results not None.

    Log records of the workers are handled here, after the work, as if logged here.
    """
    if workers <= 1 or count < 2:
        return _work(itertools.count().__next__, count, job)
    counter = multiprocessing.get_context("fork").Value("q", 0)

    def take():
        with counter.get_lock():
            number = counter.value
            counter.value += 1
        return number

    # Objects the garbage collector never visits again stay shared with the workers: a
    # collection would otherwise write to every one and make the workers copy all memory.
    gc.freeze()
    children = [_fork(take, count, job) for _ in range(workers - 1)]
    try:
        results = _work(take, count, job)
    except BaseException:
        for pid, _ in children:
            os.kill(pid, signal.SIGTERM)
        raise
    finally:
        outcomes = [_collect(pid, path) for pid, path in children]
        gc.unfreeze()
    for outcome in outcomes:
        for state in outcome.get("records", []):
            _replay(logging.makeLogRecord(state))
    failures = [o["error"] for o in outcomes if "error" in o]
    if failures:
        raise WorkerFailed(failures[0])
    for outcome in outcomes:
        results.update(outcome["results"])
    return results


def _replay(record):
    """Handle a worker's log record here. Pelican's logger drops the repeats of a message past a
    limit by raising FilteredMessage out of `filter`, which its own `_log` catches and `handle` does not."""
    try:
        logging.getLogger(record.name).handle(record)
    except FilteredMessage:
        pass


def _work(take, count, job):
    results = {}
    while (number := take()) < count:
        result = job(number)
        if result is not None:
            results[number] = result
    return results


def _fork(take, count, job):
    handle, path = tempfile.mkstemp(prefix="tilmash-worker-")
    os.close(handle)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _run_child(path, take, count, job)
    return pid, path


def _run_child(path, take, count, job):
    status = 1
    capture = _Capture()
    try:
        root = logging.getLogger()
        root.handlers = [capture]
        outcome = {"results": _work(take, count, job), "records": capture.records}
        status = 0
    except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
        outcome = {"error": "".join(traceback.format_exception(error)), "records": capture.records}
    try:
        with open(path, "wb") as out:
            pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _collect(pid, path):
    _, status = os.waitpid(pid, 0)
    try:
        with open(path, "rb") as source:
            return pickle.load(source)
    except (OSError, EOFError, pickle.UnpicklingError):
        return {"error": f"a build worker ended with status {os.waitstatus_to_exitcode(status)} and no report"}
    finally:
        os.unlink(path)


class _Capture(logging.Handler):
    """Keeps a worker's log records, in a form that pickles."""

    def __init__(self):
        super().__init__(logging.NOTSET)
        self.records = []

    def emit(self, record):
        state = dict(record.__dict__)
        state["msg"], state["args"] = record.msg, _portable(record.args)
        if record.exc_info:
            state["exc_text"] = self.formatter.formatException(record.exc_info) if self.formatter else \
                "".join(traceback.format_exception(*record.exc_info))  # fmt: skip
        state["exc_info"] = None
        self.records.append(state)


def _portable(args):
    """Log arguments reduced to plain values; a post stands for its source file, as in the log text."""

    def plain(value):
        value = getattr(value, "source_path", value)
        return value if isinstance(value, str | int | float | type(None)) else str(value)

    if isinstance(args, dict):
        return {key: plain(value) for key, value in args.items()}
    return tuple(plain(value) for value in args or ())
