"""The flows a feature's setup binds for its views, so a view starts a flow without importing it.

Flows import views to show them. Were views to import flows back, the two would form a cycle that
only function-local imports could hide. Instead each views module declares, as a Protocol, what its
buttons and forms start, and the feature's setup binds the flow module that provides it, once.
"""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class FlowBinding(Generic[T]):
    """What one views module's controls start; bound by the feature's setup."""

    def __init__(self, feature: str) -> None:
        self.feature = feature
        self._flows: T | None = None

    def bind(self, flows: T) -> None:
        self._flows = flows

    @property
    def flows(self) -> T:
        if self._flows is None:
            raise RuntimeError(f"the {self.feature} controls have no flows bound; the feature's setup binds them")
        return self._flows
