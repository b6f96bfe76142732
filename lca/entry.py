"""The ``lca`` command's entry point: Ctrl-C at any moment exits 130 quietly.

Python's own handler turns Ctrl-C into KeyboardInterrupt, which printed a traceback when it came
while ``lca.cli`` and its imports were still loading (the first ~0.1 s). So this module, imported
first by the console script and by ``python -m lca``, installs a handler before anything else is
imported: during start-up, Ctrl-C prints ``lca: interrupted`` and ends the process with 130 at
once (nothing has been written yet). Once ``lca.cli`` is loaded, Ctrl-C raises KeyboardInterrupt
again, which the CLI turns into the same line and 130 after cleaning up (temporary files, the
lock); after the command has returned and its output is flushed, the quiet handler is back for
the last instants of the process.

The one window left is Python's own start-up, before the first line of this module runs (a
few milliseconds): a Ctrl-C then ends the interpreter by the signal itself, which a shell
reports as 130 too, without a traceback.
"""

try:  # the builtin module: ``signal`` itself imports enum, milliseconds during which Ctrl-C would show a traceback
    import _signal as _sig
except ImportError:  # pragma: no cover - another Python implementation
    import signal as _sig
import os
import sys

EXIT_INTERRUPTED = 130


def _quit(signum, frame) -> None:
    """Ctrl-C while starting or finishing: one line and exit 130, no traceback, nothing to clean up."""
    try:
        os.write(2, b"lca: interrupted\n")
    finally:
        os._exit(EXIT_INTERRUPTED)


_sig.signal(_sig.SIGINT, _quit)


def main(argv: list[str] | None = None) -> int:
    """Run the ``lca`` command; Ctrl-C exits 130 without a traceback wherever it comes."""
    try:
        from lca.cli import main as run

        sys.unraisablehook = _unraisable
        _sig.signal(_sig.SIGINT, _raise)  # from here the CLI handles Ctrl-C, cleaning up first
        status = run(argv)
        if status == 1 and _interrupts:
            # the CLI reported an internal error that a Ctrl-C caused: an import it interrupted turns
            # KeyboardInterrupt into ImportError (numpy: "PyCapsule_Import could not import module")
            raise KeyboardInterrupt
    except BaseException as exc:
        # KeyboardInterrupt between here and the CLI's own try, or whatever an interrupted import
        # turned it into (pydantic-core raises PanicException when Ctrl-C hits its import)
        if isinstance(exc, SystemExit) or not (_interrupts or isinstance(exc, KeyboardInterrupt)):
            raise
        _sig.signal(_sig.SIGINT, _sig.SIG_IGN)
        os.write(2, b"lca: interrupted\n")
        status = EXIT_INTERRUPTED
    _flush()
    _sig.signal(_sig.SIGINT, _quit)  # the output is out: a late Ctrl-C only changes the exit code
    if status == EXIT_INTERRUPTED:
        # cleaned up already; and CPython ends a process whose KeyboardInterrupt passed through code
        # run by an extension (PyRun_*) by SIGINT itself, whatever was caught and returned since
        os._exit(EXIT_INTERRUPTED)
    return status


_interrupts = 0


def _raise(signum, frame) -> None:
    """Python's own behaviour (KeyboardInterrupt), counted: what it turns into is known to be Ctrl-C."""
    global _interrupts
    _interrupts += 1
    raise KeyboardInterrupt


def _unraisable(info) -> None:
    """A KeyboardInterrupt Python cannot raise (it came in a weakref callback of an import lock, a
    finaliser): CPython would print "Exception ignored" with a traceback and go on as if Ctrl-C had
    not been pressed; quit instead, as during start-up."""
    if isinstance(info.exc_value, KeyboardInterrupt):
        _quit(_sig.SIGINT, None)
    sys.__unraisablehook__(info)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # a closed pipe: nothing more to say
            pass
