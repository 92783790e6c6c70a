"""Share numbered jobs among this process and forked copies of it.

A fork inherits everything already in memory (posts read, templates loaded), so jobs are
just numbers: nothing but each job's result and the log records travel back, through a
pipe per worker (a file would outlive a killed build; a pipe leaves nothing behind).
Workers take the next job number from a shared counter, so a slow job does not leave the
other core idle.
"""

import gc
import itertools
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import traceback

from pelican.log import FilteredMessage


class WorkerFailed(RuntimeError):
    """A forked worker raised; its traceback is the message."""


def _raised(failure):
    """The exception to raise in this process for a worker's failure: an OSError (a full disk) as itself."""
    if "os_error" in failure:
        number, message, filename = failure["os_error"]
        return OSError(number, message, filename)
    return WorkerFailed(failure["error"])


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
    children = []
    for _ in range(workers - 1):
        children.append(_fork(take, count, job, [reader for _, reader in children]))
    try:
        results = _work(take, count, job)
    except BaseException:
        for pid, _ in children:
            os.kill(pid, signal.SIGTERM)
        raise
    finally:
        outcomes = [_collect(pid, reader) for pid, reader in children]
        gc.unfreeze()
    for outcome in outcomes:
        for state in outcome.get("records", []):
            _replay(logging.makeLogRecord(state))
    failures = [o for o in outcomes if "error" in o]
    if failures:
        raise _raised(failures[0])
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


def _fork(take, count, job, readers):
    """Start a worker; returns its pid and the end of its pipe to read its outcome from.

    `readers`: the other workers' ends, which this one closes (it must not keep them open).
    """
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        for handle in [reader, *readers]:
            os.close(handle)
        _run_child(writer, take, count, job)
    os.close(writer)
    return pid, reader


def _run_child(writer, take, count, job):
    status = 1
    capture = _Capture()
    try:
        root = logging.getLogger()
        root.handlers = [capture]
        outcome = {"results": _work(take, count, job), "records": capture.records}
        status = 0
    except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
        outcome = {"error": "".join(traceback.format_exception(error)), "records": capture.records}
        if isinstance(error, OSError):
            outcome["os_error"] = (error.errno, error.strerror, error.filename)
    try:
        # A parent gone (killed) makes this fail at once: the worker then ends too.
        with open(writer, "wb") as out:
            pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _collect(pid, reader):
    # Read before waiting: a worker with more to say than the pipe holds ends only once it is read.
    try:
        with open(reader, "rb") as source:
            outcome = pickle.load(source)
    except (OSError, EOFError, pickle.UnpicklingError):
        outcome = None
    _, status = os.waitpid(pid, 0)
    if outcome is None:
        return {"error": f"a build worker ended with status {os.waitstatus_to_exitcode(status)} and no report"}
    return outcome


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
