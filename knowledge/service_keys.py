"""The stable service keys from DESIGN.md. Keys never change meaning; more may be added."""

SERVICE_KEYS: tuple[str, ...] = (
    "relief_care",
    "support_contact",
    "bpa",
    "companion_card",
    "starthjelp",
    "family_measures",
    "care_allowance",
    "caregiver_training",
    "coordinator",
    "child_coordinator",
    "individual_plan",
    "home_health_care",
    "child_residence",
    "extended_after_school",
    "occupational_therapy",
    "physiotherapy",
    "interpreter",
)
