"""Time steps at which each library model is integrated by the conformance suites."""

DT = 0.05
"""Time step (ms) of the suite; every default model is stable with Heun at this step except
those in :data:`MODEL_DT`."""
MODEL_DT = {
    # random initial states reach radius ~7, where the cubic term has rate ~3 r^2 ~ 150/ms:
    # explicit Heun needs dt * 150 < 2
    "SupHopf": 0.005,
    # QIF mean fields: from random initial states the rate reaches r ~ 6-10, where the
    # -pi^2 r^2 term alone has rate 2 pi^2 r > 100/ms (blow-ups at dt = 0.05)
    # (CoombesByrne needs 0.005 on the 76-region connectome from random initial states)
    "CoombesByrne": 0.005,
    "GastSchmidtKnosche_SF": 0.01,
    # three-mode reduced sets: the middle mode's cubic coefficient is ~3.3 (FHN, times
    # tau = 3) or ~3.9 (HR), so at |xi| = 4 the rate is ~160-230/ms: Heun needs dt < 0.01
    "ReducedSetFitzHughNagumo": 0.005,
    "ReducedSetHindmarshRose": 0.005,
}


def default_coupling(model_cls):
    """A coupling a model is meant to be used with, for whole-network runs."""
    import vbrain as vb

    if model_cls.coupling_variables == ("y1", "y2"):
        return vb.coupling.SigmoidalJansenRit()
    if model_cls.__name__ == "LarterBreakspear":
        # coupled through the sigmoidal firing rate of V (the reference's usage); linear
        # coupling of V itself runs away on the 76-region connectome
        return vb.coupling.HyperbolicTangent(a=0.5, midpoint=0.0, sigma=0.65)
    return vb.coupling.Linear()
