"""Command-line interface: ``vbrain simulate``, ``vbrain sweep``, ``vbrain models``,
``vbrain --version``.

Examples
--------
Run the default simulation (76 regions, Generic2dOscillator, 1 s) into ``simulation.h5``::

    vbrain simulate

Run a configuration file with overrides::

    vbrain simulate run.yaml -o out.h5 --duration 2000 --set model.a=-1.5 --set coupling.a=0.02

Run a parameter sweep (a config with a ``sweep:`` section, see :mod:`vbrain.explore`) on two
local processes, resumable::

    vbrain sweep sweep.yaml --workers 2 -o sweep.h5 [--resume]

Only light modules are imported at start-up; numpy, the simulator and h5py are imported by
the commands that need them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["main"]

EXIT_USAGE = 2
_SCALAR_KEYS = ("connectivity", "speed", "duration", "seed", "backend", "initial_history")


class CLIError(Exception):
    """Bad command-line input: reported as ``error: <message>`` with exit code 2."""


# --------------------------------------------------------------------------------------
# Parser


def _version() -> str:
    from vbrain import __version__

    return f"vbrain {__version__}"


def build_parser() -> argparse.ArgumentParser:
    """The ``vbrain`` argument parser (sub-commands ``simulate`` and ``models``)."""
    parser = argparse.ArgumentParser(
        prog="vbrain",
        description="Whole-brain network simulation: TheVirtualBrain, rebuilt fast.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    sim = sub.add_parser(
        "simulate",
        help="run a simulation from a YAML/JSON config and stream it to HDF5",
        description=(
            "Run a simulation described by a YAML or JSON config file (or the default "
            "configuration when none is given) and stream every monitor to an HDF5 file. "
            "Options override the file; --set is applied last."
        ),
        epilog=(
            "Config sections: connectivity, speed, model, coupling, integrator, monitors, "
            "duration, seed, backend, initial_history; see vbrain.simulator.config."
        ),
    )
    sim.add_argument(
        "config",
        nargs="?",
        metavar="CONFIG",
        help="configuration file (.yaml, .yml or .json); default: the default configuration",
    )
    sim.add_argument(
        "-o",
        "--output",
        default="simulation.h5",
        metavar="OUT.h5",
        help="HDF5 file to write (replaced if it exists; default: %(default)s)",
    )
    sim.add_argument("--duration", type=float, metavar="MS", help="simulated time in ms")
    sim.add_argument("--dt", type=float, metavar="MS", help="integration time step in ms")
    sim.add_argument("--seed", type=int, help="random seed (initial history and noise)")
    sim.add_argument(
        "--backend",
        choices=("numba", "numpy"),
        help="'numba' (compiled, the default) or 'numpy' (reference path)",
    )
    sim.add_argument(
        "--model",
        metavar="NAME",
        help="neural mass model by name, with its default parameters (see `vbrain models`)",
    )
    sim.add_argument(
        "--connectivity",
        metavar="N|PATH",
        help="tvb-data connectome (number of regions or name) or a TVB connectivity zip",
    )
    sim.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config entry by dotted key, value parsed as YAML "
        "(e.g. --set model.a=-1.5 --set monitors.0.period=2); repeatable",
    )
    sim.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: on when stderr is a terminal)",
    )
    sim.add_argument(
        "--print-config",
        action="store_true",
        help="print the resolved configuration as YAML and exit without simulating",
    )
    sim.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    sim.set_defaults(func=_cmd_simulate)

    _add_sweep_parser(sub)

    mods = sub.add_parser(
        "models",
        help="list the neural mass models (or describe one)",
        description="List the neural mass models with a one-line description each, or "
        "show the parameters of one model.",
    )
    mods.add_argument("name", nargs="?", metavar="NAME", help="model whose parameters to show")
    mods.set_defaults(func=_cmd_models)
    return parser


def _add_sweep_parser(sub: Any) -> None:
    sw = sub.add_parser(
        "sweep",
        help="run a parameter sweep from a YAML/JSON config with a sweep: section",
        description=(
            "Run a parameter sweep: CONFIG holds a simulation configuration plus a sweep: "
            "section (space, reductions, duration, seed, chunk_size). Results go to one HDF5 "
            "store; an interrupted sweep continues with --resume."
        ),
        epilog="See vbrain.explore (spaces, reductions, executors, SLURM/PBS through Dask).",
    )
    sw.add_argument("config", metavar="CONFIG", help="configuration file (.yaml/.yml/.json)")
    sw.add_argument(
        "-o",
        "--output",
        default="sweep.h5",
        metavar="OUT.h5",
        help="HDF5 results store (default: %(default)s)",
    )
    sw.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="local worker processes (1: in this process; default), or Dask workers with "
        "--scheduler local",
    )
    sw.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' for a "
        "LocalCluster of --workers processes (needs vbrain[explore])",
    )
    sw.add_argument("--resume", action="store_true", help="continue the sweep stored in OUT.h5")
    sw.add_argument("--overwrite", action="store_true", help="replace an existing OUT.h5")
    sw.add_argument("--chunk-size", type=int, metavar="N", help="points per chunk")
    sw.add_argument("--duration", type=float, metavar="MS", help="simulated time per point")
    sw.add_argument("--seed", type=int, help="sweep seed (per-point seeds derive from it)")
    sw.add_argument(
        "--batched",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="advance each chunk's points together in one compiled loop (default; points it "
        "cannot run fall back to one at a time); --no-batched runs one point at a time. "
        "The results are the same bits either way",
    )
    sw.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: on when stderr is a terminal)",
    )
    sw.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    sw.set_defaults(func=_cmd_sweep)


# --------------------------------------------------------------------------------------
# Overrides


def _parse_value(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError:
        return text


def _set_dotted(data: dict[str, Any], key: str, value: Any) -> None:
    """Set ``data[a][b]...`` for ``key = "a.b..."``; list items by index (``monitors.0``)."""
    parts = key.split(".")
    if not all(parts):
        raise CLIError(f"--set {key}: empty component in the key")
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        where = ".".join(parts[:depth]) or "the config"
        if depth == 0 and not last:
            node[part] = _section_for_update(part, node.get(part))
        if isinstance(node, dict):
            if last:
                node[part] = value
                return
            child = node.get(part)
            if isinstance(child, str) and depth > 0:  # e.g. integrator.noise given as a name
                child = {"type": child}
            elif child is None:
                child = {}
            elif not isinstance(child, dict | list):
                raise CLIError(f"--set {key}: {'.'.join(parts[: depth + 1])} is not a mapping")
            node[part] = child
            node = child
        elif isinstance(node, list):
            try:
                index = int(part)
                node[index]  # noqa: B018 - bounds check
            except (ValueError, IndexError):
                raise CLIError(
                    f"--set {key}: {where} is a list of {len(node)}; "
                    f"use an index 0..{len(node) - 1}"
                ) from None
            if last:
                node[index] = value
                return
            if isinstance(node[index], str):
                node[index] = {"type": node[index]}
            node = node[index]
        else:
            raise CLIError(f"--set {key}: {where} is not a mapping")


def _section_for_update(name: str, value: Any) -> Any:
    """A section in a form whose entries can be set (a name becomes ``{type: name}``)."""
    if name in _SCALAR_KEYS:
        raise CLIError(f"--set: {name!r} is a single value, not a section; use --set {name}=...")
    if value is None:
        if name == "monitors":
            from vbrain.simulator.config import DEFAULT_MONITOR

            return [{"type": DEFAULT_MONITOR}]
        return {}
    if isinstance(value, str):
        value = {"type": value}
    if name == "monitors" and isinstance(value, dict):
        return [value]
    return value


def _apply_options(data: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    if args.connectivity is not None:
        text = args.connectivity.strip()
        data["connectivity"] = int(text) if text.isdigit() else text
    if args.model is not None:
        current = data.get("model")
        cur_type = current if isinstance(current, str) else None
        if isinstance(current, dict):
            cur_type = current.get("type")
        if cur_type is None or str(cur_type).lower() != args.model.lower():
            data["model"] = {"type": args.model}
    if args.dt is not None:
        _set_dotted(data, "integrator.dt", args.dt)
    if args.duration is not None:
        data["duration"] = args.duration
    if args.seed is not None:
        data["seed"] = args.seed
    if args.backend is not None:
        data["backend"] = args.backend
    for item in args.overrides:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise CLIError(f"--set expects KEY=VALUE (e.g. model.a=-1.5), got {item!r}")
        _set_dotted(data, key.strip(), _parse_value(text))
    return data


# --------------------------------------------------------------------------------------
# Commands


def _resolve_config(args: argparse.Namespace) -> Any:
    from vbrain.simulator.config import load_config, read_config_file

    data = read_config_file(args.config) if args.config else {}
    return load_config(_apply_options(data, args))


def _cmd_simulate(args: argparse.Namespace) -> int:
    import json
    import os
    import time

    cfg = _resolve_config(args)
    if args.print_config:
        sys.stdout.write(cfg.to_yaml())
        return 0
    progress = args.progress
    if progress is None:
        progress = sys.stderr.isatty() and not args.quiet
    sim = cfg.build()
    n_steps = sim.n_steps_for(cfg.duration)

    import h5py

    from vbrain import __version__

    out = args.output
    if os.path.isdir(out):
        raise CLIError(f"output {out!r} is a directory; give a file name such as out.h5")
    try:
        with h5py.File(out, "w") as f:
            f.attrs["config"] = json.dumps(cfg.to_dict())
            f.attrs["vbrain_version"] = __version__
    except OSError as exc:
        raise CLIError(f"cannot write {out!r}: {exc}") from None
    t0 = time.perf_counter()
    try:
        sim.run_to_hdf5(out, cfg.duration, progress=progress)
    except KeyboardInterrupt:
        print(f"interrupted; partial output in {out}", file=sys.stderr)
        return 130
    wall = time.perf_counter() - t0
    if not args.quiet:
        rate = n_steps / wall if wall > 0 else float("inf")
        print(
            f"simulated {cfg.duration:g} ms: {n_steps} steps in {wall:.2f} s "
            f"({rate:,.0f} steps/s) -> {out}"
        )
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    import os
    import time

    from vbrain.explore import load_sweep

    if args.workers is not None and args.workers < 1:
        raise CLIError(f"--workers {args.workers}: give 1 or more")
    if os.path.isdir(args.output):
        raise CLIError(f"output {args.output!r} is a directory; give a file name such as out.h5")
    sweep = load_sweep(
        args.config,
        duration=args.duration,
        seed=args.seed,
        chunk_size=args.chunk_size,
        runner="batched" if args.batched else "per_point",
    )
    progress = args.progress
    if progress is None:
        progress = sys.stderr.isatty() and not args.quiet
    t0 = time.perf_counter()
    try:
        res = sweep.run(
            workers=args.workers,
            scheduler=args.scheduler,
            store=args.output,
            resume=args.resume,
            overwrite=args.overwrite,
            progress=progress,
        )
    except KeyboardInterrupt:
        print(f"interrupted; finished points are in {args.output} (use --resume)", file=sys.stderr)
        return 130
    wall = time.perf_counter() - t0
    if not args.quiet:
        n = len(sweep)
        print(
            f"swept {n} points x {sweep.duration:g} ms in {wall:.2f} s -> {args.output} "
            f"(metrics: {', '.join(res.metrics)})"
        )
    return 0


def _cmd_models(args: argparse.Namespace) -> int:
    from vbrain.simulator.models import base

    if args.name:
        print(base.get(args.name).describe())
        return 0
    names = base.list_models()
    width = max(len(n) for n in names)
    for name in names:
        doc = (base.get(name).__doc__ or "").strip().splitlines()
        print(f"{name:<{width}}  {doc[0].strip() if doc else ''}")
    return 0


# --------------------------------------------------------------------------------------
# Entry point


def _bad_input_types() -> tuple[type[BaseException], ...]:
    from vbrain.config.traits import ValidationError

    types: list[type[BaseException]] = [CLIError, ValidationError, FileNotFoundError]
    try:
        import yaml

        types.append(yaml.YAMLError)
    except ImportError:  # pragma: no cover - pyyaml is a dependency
        pass
    return tuple(types)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``vbrain`` command line; returns the exit status.

    Parameters
    ----------
    argv
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 on bad input (with a one-line ``error: ...`` on stderr).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except _bad_input_types() as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"error: {message}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
