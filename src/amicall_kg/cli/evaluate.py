"""CLI commands: filled in by the issue that brings them."""

from __future__ import annotations
