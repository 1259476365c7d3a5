"""Kernels for ``lib.render``: each started before the notebook that will use it, with the
notebooks' imports already done, used for exactly one notebook, then killed.

A notebook run by the papermill CLI pays, before and after its own code, for a Python process,
a kernel start, the imports of ``lib`` (pandas, matplotlib, pyarrow…) and a graceful kernel
shutdown. Here:

- **Pre-started** (``KernelPool``): while a notebook runs, the kernel of the next one starts in its
  own process, so its start overlaps the running notebook instead of following it.
- **Preloaded**: the kernel is the stock ``python3`` kernelspec of this environment (no kernelspec
  to install), started with ``--IPKernelApp.exec_lines`` that imports the notebooks' modules and
  registers the CJK font, in a throwaway namespace: the notebook's namespace starts empty and the
  modules are the ones it would import itself.
- **One kernel, one notebook**: a kernel is never reused, so no notebook's variables, figures or
  settings reach another. After the last cell (every output received), the kernel is killed
  rather than asked to shut down: there is nothing left in it to save.
- **Parameters** are injected as papermill does (a cell tagged ``injected-parameters`` after the
  ``parameters`` cell), written with ``repr`` so a Chinese city name stays readable.
"""

from __future__ import annotations

import asyncio
import os

PRELOAD_MODULES = ("lib.views", "lib.charts", "lib.pages", "lib.style", "itables", "IPython.display")
PRELOAD = ("exec(" + repr(f"import {', '.join(PRELOAD_MODULES)}; lib.style.use_style()") + ", {})")
KERNEL_ARGS = [
    "--IPKernelApp.log_level=CRITICAL",  # no plain-TCP notice, no "KeyboardInterrupt caught in kernel"
    "--HistoryManager.hist_file=:memory:",  # kernels running side by side never share a history file
]
STARTUP_TIMEOUT = 300  # seconds: a loaded machine can be slow to start a kernel; a cell has no limit


DIED_AT_START = "Kernel died before replying to kernel_info"  # jupyter_client's words


def inject_parameters(nb, parameters: dict) -> None:
    """Add the parameters cell papermill would add: after the cell tagged ``parameters`` (else first)."""
    import nbformat

    lines = ["# Parameters"] + [f"{k} = {v!r}" for k, v in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines) + "\n", metadata={"tags": ["injected-parameters"]})
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    at = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    nb.cells.insert(at, cell)


def failed_cell(nb) -> int | None:
    """Execution count of the cell whose output is an error (the one that stopped the notebook)."""
    for cell in nb.cells:
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return cell.get("execution_count")
    return None


class KernelPool:
    """Kernels started ahead of their use, one per notebook (see the module's docstring).

    ``run`` takes a started kernel (or starts one), starts the next one when ``more`` says
    another notebook will follow, executes the notebook with nbclient and kills the kernel.
    ``close`` kills the kernels started for notebooks that never came.
    """

    def __init__(self, kernel_name: str, cwd: str, env: dict | None = None, preload: bool = True):
        self.kernel_name, self.cwd = kernel_name, cwd
        self.env = {**os.environ, **(env or {})}
        self.args = KERNEL_ARGS + ([f"--IPKernelApp.exec_lines={PRELOAD}"] if preload else [])
        self.loop = asyncio.new_event_loop()
        self.ready: list = []

    def _start(self):
        from jupyter_client.manager import AsyncKernelManager

        km = AsyncKernelManager(kernel_name=self.kernel_name)
        self.loop.run_until_complete(km.start_kernel(extra_arguments=list(self.args), cwd=self.cwd, env=self.env))
        return km

    def run(self, nb, more: bool = False):
        """Execute nb in place on a fresh kernel; raises nbclient's CellExecutionError on a failing cell."""
        from nbclient import NotebookClient

        km = self.ready.pop(0) if self.ready else self._start()
        if more and not self.ready:
            self.ready.append(self._start())  # boots in its own process while this notebook runs
        for attempt in range(2):
            client = NotebookClient(nb, km=km, kernel_name=self.kernel_name, timeout=None,
                                    startup_timeout=STARTUP_TIMEOUT, allow_errors=False, record_timing=False)
            try:
                self.loop.run_until_complete(client.async_execute())
                return nb
            except RuntimeError as exc:
                if attempt or DIED_AT_START not in str(exc):
                    raise
            finally:
                self.loop.run_until_complete(self._kill(km, client))
            # it died before any cell ran: most often a port that another kernel, started at the same
            # moment by another job, bound first; a new kernel picks new ports
            km = self._start()
        return nb

    async def _kill(self, km, client=None) -> None:
        if client is not None and client.kc is not None:
            client.kc.stop_channels()
        try:
            await km.shutdown_kernel(now=True)
        except Exception:  # already gone
            pass

    def close(self) -> None:
        for km in self.ready:
            self.loop.run_until_complete(self._kill(km))
        self.ready = []
        self.loop.close()
