"""Where the project's shipped resources live (themes, translations, demo plant)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
DEMO_CONFIG = RESOURCES / "demo" / "plant.toml"
SECURE_DEMO_CONFIG = DEMO_CONFIG.with_name("plant-secure.toml")  # generated: hmi/sim/security.py
