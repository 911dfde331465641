"""What each panel score means. Loaded by a migration; administrators may reword them."""

SCORE_DESCRIPTORS = [
    (0, "Unacceptable", "No answer, or the answer does not address the question at all."),
    (
        1,
        "Poor",
        "The answer barely addresses the question: major gaps, little or no evidence, and "
        "serious doubts that the requirement would be met.",
    ),
    (
        2,
        "Weak",
        "The answer addresses some of the question with limited evidence: significant "
        "weaknesses or risks that are not dealt with.",
    ),
    (
        3,
        "Satisfactory",
        "The answer meets the requirement with adequate evidence: some minor weaknesses.",
    ),
    (
        4,
        "Good",
        "A full, well-evidenced answer that meets the requirement with confidence: few "
        "weaknesses, all minor.",
    ),
    (
        5,
        "Excellent",
        "A comprehensive, convincing answer with strong evidence, which meets the requirement "
        "in full and adds value beyond it.",
    ),
]


def load(apps, schema_editor=None) -> int:
    """Create or update the six descriptors, matched by score. Idempotent."""
    ScoreDescriptor = apps.get_model("procurement", "ScoreDescriptor")
    for score, label, description in SCORE_DESCRIPTORS:
        ScoreDescriptor.objects.update_or_create(
            score=score, defaults={"label": label, "description": description}
        )
    return len(SCORE_DESCRIPTORS)
