"""An Axes that makes its Tick objects only when something asks for them.

A new matplotlib Axes builds four Tick objects (a major and a minor one per axis, each two
lines, a gridline and two texts) while clearing itself, only to restyle them (grid off, clip
to the axes): about a fifth of building and printing a radar, which turns its axes off and
never draws a tick. ``LeanAxes`` keeps the tick looks and the clip path where matplotlib
keeps them for ticks made later (the axis' tick keywords) and applies them to the ticks that
already exist, so a tick is made only when the axis is drawn or asked for its ticks, and then
looks exactly as it would have. An axis with no tick positions makes no tick at all.
Its background patch keeps its transform, which every artist added is clipped with.
"""

from __future__ import annotations

from typing import Any

from matplotlib import axis as maxis
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib.transforms import Transform

_LISTS = ("majorTicks", "minorTicks")


class _LeanAxis(maxis.Axis):
    """Axis behaviour shared by the lean x and y axes (see the module docstring)."""

    _tick_clip: tuple[Any, Any] | None = None  # what set_clip_path was last given

    def _made(self, name: str) -> bool:
        """Return True when the tick list has been made (it is made lazily on first access)."""
        return name in self.__dict__

    def set_clip_path(self, path, transform=None) -> None:  # type: ignore[no-untyped-def]
        Artist.set_clip_path(self, path, transform)
        self._tick_clip = (path, transform)
        for name in _LISTS:
            if self._made(name):
                for tick in getattr(self, name):
                    tick.set_clip_path(path, transform)
        self.stale = True

    def _get_tick(self, major: bool):  # type: ignore[no-untyped-def]
        tick = super()._get_tick(major)
        # The first tick of a list (made while the list stands empty) takes the clip path;
        # later ones copy it from the first (Axis.get_major_ticks), as matplotlib does.
        if self._tick_clip is not None and not self.__dict__.get(_LISTS[0 if major else 1]):
            tick.set_clip_path(*self._tick_clip)
        return tick

    def set_tick_params(self, which="major", reset=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # Ticks not made yet take the new looks from the tick keywords when they are made;
        # an empty stand-in list keeps matplotlib from making one just to restyle it.
        standing_in = [name for name in _LISTS if not self._made(name)]
        for name in standing_in:
            setattr(self, name, [])
        try:
            super().set_tick_params(which=which, reset=reset, **kwargs)
        finally:
            for name in standing_in:
                if self.__dict__.get(name) == []:
                    del self.__dict__[name]

    def get_major_ticks(self, numticks=None):  # type: ignore[no-untyped-def]
        if numticks is None:
            numticks = len(self.get_majorticklocs())
        if numticks == 0 and not self._made("majorTicks"):
            return []
        return super().get_major_ticks(numticks)

    def get_minor_ticks(self, numticks=None):  # type: ignore[no-untyped-def]
        if numticks is None:
            numticks = len(self.get_minorticklocs())
        if numticks == 0 and not self._made("minorTicks"):
            return []
        return super().get_minor_ticks(numticks)


class _LeanXAxis(_LeanAxis, maxis.XAxis):
    pass


class _LeanYAxis(_LeanAxis, maxis.YAxis):
    pass


class _AxesPatch(Rectangle):
    """The axes' background rectangle, whose transform is made once rather than per artist.

    Every artist added to an axes is clipped to this patch, and matplotlib builds the patch's
    transform (five affine steps and a composite) afresh for each. The transform is kept and
    made again only when the rectangle or its base transform changes; it stays a live
    transform (it follows the axes' position and the figure's size as before).
    """

    _made: tuple[tuple[Any, ...], Transform, Transform] | None = None

    def get_transform(self) -> Transform:
        base = Artist.get_transform(self)
        shape = (
            self._x0,
            self._y0,
            self._width,
            self._height,
            self.angle,
            self.rotation_point,
            self._aspect_ratio_correction,
        )
        made = self._made
        if made is None or made[1] is not base or made[0] != shape:
            made = self._made = (shape, base, super().get_transform())
        return made[2]


class LeanAxes(Axes):
    """A rectilinear Axes whose ticks are made on demand: ``fig.add_axes(rect, axes_class=...)``.

    Ticks are made lazily, so a chart whose axis shows ticks should ask for them
    (``axis.get_major_ticks()``) while its house style is in force, as matplotlib would have
    made the first one then.
    """

    def _init_axis(self) -> None:
        self.xaxis = _LeanXAxis(self, clear=False)
        self.spines.bottom.register_axis(self.xaxis)
        self.spines.top.register_axis(self.xaxis)
        self.yaxis = _LeanYAxis(self, clear=False)
        self.spines.left.register_axis(self.yaxis)
        self.spines.right.register_axis(self.yaxis)

    def _gen_axes_patch(self) -> Rectangle:
        return _AxesPatch((0.0, 0.0), 1.0, 1.0)

    def clear(self) -> None:
        super().clear()
        # A new Tick asks the spines for their transforms, which places each spine (outward
        # by 0 points); with no tick made, place them here as the first ticks would have.
        for spine in self.spines.values():
            spine.get_position()
