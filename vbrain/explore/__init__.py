"""Parameter exploration: sweep any simulation parameters over grids or samples, at scale.

A sweep is a simulation configuration (:class:`~vbrain.simulator.config.SimulationConfig`),
a parameter space and the reductions to keep per point::

    import vbrain as vb
    from vbrain.explore import Grid, Sweep

    sweep = Sweep(
        {"model": {"type": "Generic2dOscillator", "d": 0.2}, "duration": 1000.0},
        Grid({"model.a": {"linspace": [0.0, 3.0, 7]}, "coupling.a": [0.0, 0.05, 0.1]}),
        ["global_variance", {"type": "kuramoto", "phase_method": "hilbert"}, "fc"],
    )
    res = sweep.run(workers=2, store="sweep.h5", progress=True)
    res.plot("global_variance", x="model.a", y="coupling.a")
    res.dataset            # xarray.Dataset over (model.a, coupling.a)

or from the command line, with the same configuration in a file with a ``sweep:`` section::

    vbrain sweep sweep.yaml --workers 2 -o sweep.h5 [--resume]

* **Spaces** (:mod:`vbrain.explore.space`): :class:`Grid`, :class:`Explicit`, :class:`Random`,
  :class:`LatinHypercube`; names are the configuration's dotted entries (``model.a``,
  ``coupling.a``, ``integrator.noise.nsig``, ``connectivity.speed``,
  ``connectivity.weights_scale``, per node ``model.a[3]``); validated before anything runs.
* **Reductions** (:mod:`vbrain.explore.reductions`): time averages, BOLD, FC, FCD, global
  variance, Kuramoto order, proxy metastability/synchrony, variance of node variance;
  computed chunk by chunk so no time series is stored.
* **Runners** (:mod:`vbrain.explore.runner`): by default the points of a chunk advance
  together in one compiled loop, simulations innermost (``runner="batched"``;
  :mod:`vbrain.simulator.backends.batched`), bit-identical to single runs;
  ``runner="per_point"`` (CLI ``--no-batched``) runs them one at a time.
* **Executors** (:mod:`vbrain.explore.executors`): in-process, local processes, Dask.
  Points run in chunks; results land in one HDF5 store written by the driver
  (:mod:`vbrain.explore.store`) with a ``done`` mask; chunks are retried when a worker dies;
  ``resume=True`` skips finished points.  Point ``i`` always runs with the seed
  ``point_seed(sweep_seed, i)``: results do not depend on chunking or executor.

Running on a cluster (SLURM/PBS)
--------------------------------
The Dask executor accepts any ``dask.distributed`` cluster or scheduler address, so a lab runs
the same sweep on its batch system through `dask-jobqueue <https://jobqueue.dask.org>`_
(not a vbrain dependency)::

    from dask_jobqueue import SLURMCluster          # or PBSCluster, SGECluster, ...
    cluster = SLURMCluster(cores=1, processes=1, memory="4GB", walltime="02:00:00",
                           job_extra_directives=["--partition=compute"])
    cluster.scale(jobs=50)                          # 50 single-core workers
    res = sweep.run(scheduler=cluster, store="sweep.h5")

or start a scheduler and workers by hand (``dask scheduler`` on one node, ``dask worker
tcp://host:8786 --nworkers 1 --nthreads 1`` in each batch job) and pass the address:
``vbrain sweep sweep.yaml --scheduler tcp://host:8786 -o sweep.h5``.  Workers need vbrain
installed and the connectivity readable; only the driver writes the store.  If the batch
allocation ends mid-sweep, rerun with ``--resume``: finished chunks are not recomputed.

Dask is an optional dependency: ``pip install "vbrain[explore]"``.
"""

from vbrain.explore.executors import (
    DaskExecutor,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    make_executor,
)
from vbrain.explore.reductions import (
    FC,
    FCD,
    BoldSeries,
    GlobalVariance,
    KuramotoOrder,
    ProxyMetastability,
    Reduction,
    Series,
    StreamInfo,
    TimeAverage,
    VarianceNodeVariance,
    list_reductions,
)
from vbrain.explore.results import SweepResult
from vbrain.explore.runner import (
    BatchedRunner,
    Chunk,
    ChunkResult,
    PerPointRunner,
    SweepJob,
    point_seed,
)
from vbrain.explore.space import (
    Explicit,
    Grid,
    LatinHypercube,
    ParameterSpace,
    Random,
    SweepWarning,
)
from vbrain.explore.store import SweepStore
from vbrain.explore.sweep import Sweep, load_sweep, run_sweep

__all__ = [
    "FC",
    "FCD",
    "BatchedRunner",
    "BoldSeries",
    "Chunk",
    "ChunkResult",
    "DaskExecutor",
    "Executor",
    "Explicit",
    "GlobalVariance",
    "Grid",
    "KuramotoOrder",
    "LatinHypercube",
    "ParameterSpace",
    "PerPointRunner",
    "ProcessExecutor",
    "ProxyMetastability",
    "Random",
    "Reduction",
    "SerialExecutor",
    "Series",
    "StreamInfo",
    "Sweep",
    "SweepJob",
    "SweepResult",
    "SweepStore",
    "SweepWarning",
    "TimeAverage",
    "VarianceNodeVariance",
    "list_reductions",
    "make_executor",
    "load_sweep",
    "point_seed",
    "run_sweep",
]
