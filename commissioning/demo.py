"""Demo data for the Plan stage and the district's geography."""

from django.utils.text import slugify

from commissioning.models import Area

# Lancaster district: its towns and rural areas, and the wards within each.
DISTRICT = {
    "Lancaster": [
        "Bulk",
        "Castle",
        "Ellel",
        "John O'Gaunt",
        "Marsh",
        "Scotforth East",
        "Scotforth West",
        "Skerton East",
        "Skerton West",
        "University and Scotforth Rural",
    ],
    "Morecambe": ["Bare", "Harbour", "Poulton", "Torrisholme", "Westgate"],
    "Heysham": ["Heysham Central", "Heysham North", "Heysham South", "Overton"],
    "Carnforth": ["Carnforth and Millhead", "Bolton and Slyne", "Silverdale", "Warton"],
    "Rural Lancaster": [
        "Halton-with-Aughton",
        "Kellet",
        "Lower Lune Valley",
        "Upper Lune Valley",
    ],
}


def demo_areas_seed() -> dict[str, Area]:
    """The areas and wards of the district, by name. Idempotent."""
    areas: dict[str, Area] = {}
    for area_name, wards in DISTRICT.items():
        area, _ = Area.objects.update_or_create(
            slug=slugify(area_name), defaults={"name": area_name, "kind": Area.Kind.AREA}
        )
        areas[area_name] = area
        for ward_name in wards:
            areas[ward_name], _ = Area.objects.update_or_create(
                slug=slugify(ward_name),
                defaults={"name": ward_name, "kind": Area.Kind.WARD, "parent": area},
            )
    return areas
