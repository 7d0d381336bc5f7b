"""The core: Problem -> Graph -> Derivation (local rules, the reverse pass, exact numbers, checks)."""
