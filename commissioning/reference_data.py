"""Lancaster City Council's Commissioning Framework 2012 to 2015, as data.

The text is the framework document's own (`commissioning-framework.txt`), with only these
changes: year ranges are written "2012 to 2015", as on the document's cover and in GOV.UK
style; every sentence ends with a full stop; bold and bullet marks are dropped; three slips
are corrected ("is give to" → "is given to", "as well information as on" → "as well as
information on", "planning delivering" → "planning, delivering"). Stage summaries are the
portal's own précis of each stage's text, since the document has none.

`load(apps)` writes it to the database. The data migration
`commissioning/migrations/0002_load_framework.py` calls it with the historical models;
tests and management commands may call it with `django.apps.apps`.
"""

from decimal import Decimal
from typing import Any

FRAMEWORK: dict[str, Any] = {
    "slug": "commissioning-framework-2012-2015",
    "title": "Commissioning Framework",
    "subtitle": (
        "Lancaster City Council's approach to investment in community and economic outcomes "
        "through the Voluntary, Community and Faith sector and the Arts sector"
    ),
    "period_start": 2012,
    "period_end": 2015,
    "introduction": (
        "For some years the council has invested in important services delivered by the "
        "voluntary, community and faith sector and the arts sector, to improve the quality of "
        "life, the local economy and the health and well being of local people.\n\n"
        "The council's current investment supports a wide range of activities and there are "
        "many examples of success. Overall, the council's monitoring of this investment has "
        "indicated that some very helpful, value for money services have been delivered that "
        "have made a crucial difference to the lives of local people and have helped to attract "
        "visitors to the district.\n\n"
        "Building on this, the council wishes to re-invest via a commissioning framework in the "
        "voluntary, community and faith sector and the arts sector to help them to deliver "
        "services for the district. This will provide an opportunity to refresh priorities for "
        "investment in line with current council priorities, as expressed in the council's "
        "Corporate Plan 2012 to 2015. In the context of many changes affecting people's lives "
        "and the support they need, a commissioning framework will also allow for a "
        "re-assessment of current and anticipated needs, existing service provision and "
        "potential gaps in services. New providers or new services can be recognised and an "
        "improved understanding gained about what really works and makes a difference to "
        "people's lives. The council would like to see its commissioning arrangements providing "
        "a platform for collaboration, enabling organisations to work together to deliver "
        "services.\n\n"
        "A significant element of commissioning relates to engagement with partners. Where "
        "procurement or grant giving identify what services are desired and provide investment, "
        "commissioning is developed by working with people and providers to gain an "
        "understanding of needs, existing services and gaps. The council would like to "
        "reinforce good communications and partnership links by working closely with partners "
        "as part of the commissioning process to ensure that investment can be used to add the "
        "most value and to make a difference in ways that matter."
    ),
    "corporate_plan_quote": (
        "Support for voluntary, community and faith (and arts and culture) groups has continued "
        "in 2011/2012 and the council wants to continue to work with these sectors in the future "
        "to consider how together we can ensure important services for the district are "
        "delivered"
    ),
    "core_purpose": (
        "The core purpose of our commissioning arrangements is to ensure that the council's "
        "investment in VCFS and Arts services has the maximum positive impact on the lives of "
        "people in the district and the local economy."
    ),
    "priorities_introduction": (
        "Commissioned services will be expected to align with the council's Priorities as "
        "identified in the Corporate Plan. For 2012 to 2015 these are:"
    ),
    "vulnerable_thread": (
        "The intention to protect the most vulnerable in our society is a thread that runs "
        "through all of the council's Priorities and provides an important emphasis for "
        "development of commissioned services."
    ),
    "themes_introduction": (
        "The cross cutting themes indicate clear principles for the way in which the council "
        "will undertake commissioning and are reflected in the commissioning principles and core "
        "criteria for assessment of service options."
    ),
    "commissioning_model": (
        "At this stage, the council has developed a locality based commissioning model for its "
        "own investment in specific services at the local level. This is likely to lead to "
        "opportunities for more strategic commissioning in the future where, in some cases, the "
        "council's investment is considered as part of the overall investment in the "
        "district.\n\n"
        "There are many definitions of commissioning but for the purposes of the council's "
        "approach to commissioning services from the VCF and arts sectors, Commissioning is:"
    ),
    "what_is_commissioning": (
        "The process of specifying, securing and monitoring services to meet people's needs at "
        "a strategic level and in an efficient, effective, equitable and sustainable way."
    ),
    "cycle_introduction": (
        "Commissioning is not just procurement but is a much broader recurring cycle. The key "
        "stages in the council's commissioning cycle are:"
    ),
    "commissioning_plan_description": (
        "The Commissioning Plan is an associated document that provides much more detailed "
        "information on the council's planned investment in services. This includes outline "
        "specifications for the services the council wishes to commission, the levels of "
        "investment to be provided, expected outcomes and information relating to the "
        "procurement, contractual and performance management arrangements.\n\n"
        "Separate Commissioning Plans will be published in relation to the services delivered "
        "by the voluntary, community and faith sector and the arts sector and, when finalised, "
        "these will be available on the council's website."
    ),
    "corporate_plan_title": "Lancaster City Council Corporate Plan 2012 to 2015",
    "corporate_plan_url": (
        "http://www.lancaster.gov.uk/council-and-democracy/"
        "council-priorities-and-key-documents/corporate-plan-2012-15/"
    ),
    "is_current": True,
}

SECTORS: list[dict[str, Any]] = [
    {
        "slug": "vcfs",
        "name": "Voluntary, Community and Faith Sector",
        "short_name": "VCFS",
    },
    {
        "slug": "arts",
        "name": "Arts sector",
        "short_name": "Arts",
    },
]

CORPORATE_PRIORITIES: list[dict[str, Any]] = [
    {"slug": "economic-growth", "name": "Economic Growth"},
    {"slug": "health-and-well-being", "name": "Health and Well Being"},
    {"slug": "clean-green-and-safe-places", "name": "Clean, Green and Safe Places"},
    {"slug": "community-leadership", "name": "Community Leadership"},
]

CROSS_CUTTING_THEMES: list[dict[str, Any]] = [
    {"slug": "working-together-in-partnership", "name": "Working Together in Partnership"},
    {"slug": "managing-the-councils-resources", "name": "Managing the Council's Resources"},
    {"slug": "environmental-sustainability", "name": "Environmental Sustainability"},
]

COMMISSIONING_PRINCIPLES: list[dict[str, Any]] = [
    {
        "slug": "citizen-focused",
        "name": "Citizen focused",
        "text": (
            "The organisations that deliver services within the district are vital because of "
            "the services they deliver and the difference they make but also because of their "
            "ideas, knowledge, experience and commitment. However, investment will be clearly "
            "focused on achieving positive outcomes for individuals, families and communities."
        ),
    },
    {
        "slug": "working-together",
        "name": "Working together",
        "text": (
            "Given current pressures and challenges, the council is committed to Working "
            "Together in Partnership and believes that, now and in the future, joint approaches "
            "will help to provide efficient and effective ways of delivering many different "
            "kinds of services across the district. In line with this, the council is keen to "
            "encourage and support more collaboration, cooperation, joint working and sharing of "
            "resources between organisations to help to protect important services and ensure "
            "their viability in the future.\n\n"
            "The council's role will be proactive in this. The core criteria for commissioning "
            "includes collaboration but, in addition, the council will consider how services can "
            "work together, if there are opportunities to combine service delivery arrangements "
            "to make the most of specific expertise and also how to ensure administrative and "
            "other support functions are as efficient as possible so that most investment can be "
            "focused on service delivery."
        ),
    },
    {
        "slug": "transparency",
        "name": "Transparency",
        "text": (
            "Commissioning decisions will be transparent, fair and lawful. The council will "
            "provide clear information on its commissioning arrangements, which will be widely "
            "and publicly available."
        ),
    },
    {
        "slug": "value-focused",
        "name": "Value focused",
        "text": (
            "To achieve the maximum impact from its investment, the council will focus on Value, "
            "taking account of Social Return on Investment, that is, social, economic and "
            "environmental value, not just transactional value. In general, and as far as "
            "possible, administrative burdens will be reasonable and proportionate and "
            "investment will be focused on delivery of quality services that lead to positive "
            "outcomes.\n\n"
            "To gain maximum impact from investment, prioritisation will be around:"
        ),
        "bullet_points": "\n".join(
            [
                "Prevention and early intervention as a means of reducing demand for services in "
                "the long term.",
                "Investment that provides a high value return by securing benefits to many "
                "service delivery organisations and underpinning viability of a range of "
                "services.",
                "Relevant services where joint investment, match funding or contribution of "
                "resources provide good or exceptional value.",
                "Development of long term and sustainable services.",
            ]
        ),
    },
    {
        "slug": "engagement",
        "name": "Engagement",
        "text": (
            "Understanding needs and opportunities, as well as issues affecting service "
            "providers, is crucial if the right services are to be delivered for the right "
            "people, at the right time and in the right place. Service providers are closely "
            "engaged with individuals and communities and have a detailed understanding of their "
            "needs, opportunities and the changes affecting their lives. Our dialogue with "
            "providers is an invaluable part of the commissioning process and a range of "
            "activities will ensure active engagement is an integrated part of commissioning "
            "process at all stages."
        ),
    },
]

# The document names the eight core criteria but gives them no weights. These default
# weights are the portal's own (they sum to 100); an administrator can change them here in
# the admin, and each opportunity can set its own.
CORE_CRITERIA: list[dict[str, Any]] = [
    {
        "slug": "links-to-priorities",
        "name": "Links to corporate priorities and other approved strategies",
        "description": (
            "Services will assist the council in delivering its priorities and desired outcomes "
            "and support delivery of other relevant, approved strategies."
        ),
        "default_weight": Decimal("15"),
    },
    {
        "slug": "deliverability",
        "name": "Deliverability",
        "description": (
            "No major barriers exist that could negatively affect delivery of services."
        ),
        "default_weight": Decimal("15"),
    },
    {
        "slug": "quality-assurance",
        "name": "Quality Assurance",
        "description": (
            "Services can be delivered within budget, timescale and to the required quality "
            "standards."
        ),
        "default_weight": Decimal("15"),
    },
    {
        "slug": "value-for-money",
        "name": "Value for Money",
        "description": (
            "Services are economic, efficient and effective and the return on investment can be "
            "clearly identified. Leverage and match funding from other sources has been achieved "
            "wherever possible."
        ),
        "default_weight": Decimal("15"),
    },
    {
        "slug": "added-value",
        "name": "Added value / additionality",
        "description": (
            "Opportunities to add value to other initiatives in the district have been sought "
            "and acted upon wherever possible and that duplication is avoided."
        ),
        "default_weight": Decimal("10"),
    },
    {
        "slug": "sustainability",
        "name": "Sustainability",
        "description": (
            "Services can become more self sustaining in the future with a reducing reliance on "
            "public sector funding. Efficiencies have been achieved where possible."
        ),
        "default_weight": Decimal("10"),
    },
    {
        "slug": "collaboration",
        "name": "Collaboration",
        "description": (
            "Opportunities for collaborative working and shared delivery of services have been "
            "sought and proposals/ joint submissions developed where appropriate."
        ),
        "default_weight": Decimal("10"),
    },
    {
        "slug": "service-specific",
        "name": "Service specific criteria",
        "description": (
            "Quality standards or particular requirements relevant to specific services."
        ),
        "default_weight": Decimal("10"),
    },
]

CYCLE_STAGES: list[dict[str, Any]] = [
    {
        "slug": "understand",
        "name": "Understand",
        "summary": (
            "Work with people and providers to understand needs, existing services and the gaps."
        ),
        "steps": [
            {
                "slug": "engagement",
                "name": "Engagement",
                "description": (
                    "The council wishes to take many opportunities to engage with partners, "
                    "service providers and individuals or their representatives, in order to "
                    "ensure that there is ongoing dialogue and a genuine understanding of needs, "
                    "opportunities and emerging changes. This will occur at various times "
                    "through planned engagement exercises and informally via opportunities that "
                    "arise day to day. As part of the commissioning cycle there will be "
                    "engagement with service providers at all stages via planning, delivering "
                    "and monitoring arrangements."
                ),
            },
            {
                "slug": "local-assessment",
                "name": "Local assessment",
                "description": (
                    "The Needs Assessment underpinning the commissioning process has a number of "
                    "elements. Desktop research is fairly high level and provides information "
                    "from a range of sources to provide contextual background on the demography "
                    "and economy of the district as well as information on social and "
                    "environmental factors. Qualitative information is used where this is "
                    "available and may include local research and information relating to user "
                    "feedback on needs and existing services. The council's engagement work "
                    "provides context, feedback, ideas and commentary from individuals, "
                    "communities and service providers and this is seen as vital in terms of "
                    "developing service specifications for the future."
                ),
            },
            {
                "slug": "existing-service-provision",
                "name": "Existing service provision",
                "description": (
                    "Mapping existing services in the district is challenging for many reasons. "
                    "Both demand and services change and adapt and currently some services are "
                    "being lost due to financial and other pressures. However, understanding the "
                    "nature of current provision, including its quality and impact, is important "
                    "if the impact of any investment is to be understood. The council will seek "
                    "to understand existing service provision by monitoring relevant policy and "
                    "funding, via its engagement work and from its ongoing communications with "
                    "service providers."
                ),
            },
            {
                "slug": "gap-analysis",
                "name": "Gap analysis",
                "description": (
                    "Understanding need and existing service provision are pre-requisites in "
                    "terms of understanding the gap and the opportunities to add value to what "
                    "currently exists. In terms of VCFS and Arts, there are existing statutory, "
                    "mainstream and funded services and the council's investment needs to add "
                    "value to these. Data available from the Local Assessment and engagement "
                    "work provides more narrative and a qualitative view of what is changing, is "
                    "still needed most and also where there are opportunities to achieve "
                    "significant impact."
                ),
            },
        ],
    },
    {
        "slug": "plan",
        "name": "Plan",
        "summary": (
            "Appraise the options that could deliver the outcomes required, and design services "
            "with sector partners."
        ),
        "steps": [
            {
                "slug": "options-appraisal",
                "name": "Options appraisal",
                "description": (
                    "Once needs and opportunities are identified, it is possible to identify "
                    "what options are feasible to deliver the outcomes required and the levels "
                    "of investment needed to achieve the desired impact. Engagement work is key "
                    "to this stage of commissioning. In most circumstances, funds will be "
                    "limited and it is vital that due consideration is given to achieving the "
                    "best possible and most relevant outcomes for the investment that is "
                    "available. Core criteria, for the council's commissioning arrangements "
                    "including Value for Money, Added Value and Sustainability support this."
                ),
            },
            {
                "slug": "service-design",
                "name": "Service design",
                "description": (
                    "Service design needs to involve and include sector partners on a broad "
                    "basis to ensure relevant expertise and knowledge is brought into the "
                    "process and planned services are feasible, realistic and deliverable as "
                    "well as achieving the outcomes and impact desired. The council wishes to "
                    "focus on Value, that is, a return on investment that includes Social "
                    "Value, not just transactional value, and Added Value, where investment "
                    "complements and enhances existing provision."
                ),
            },
        ],
    },
    {
        "slug": "do",
        "name": "Do",
        "summary": (
            "Procure services fairly and openly against the core criteria, and deliver them "
            "under clear agreements."
        ),
        "steps": [
            {
                "slug": "procurement",
                "name": "Procurement",
                "description": (
                    "Procurement of services will be required in line with the council's normal "
                    "procurement guidance and regulations and processes will be clear and "
                    "transparent. Appropriate procurement underpins service standards and value "
                    "for money. Whilst cost will always be a consideration, the council has "
                    "established core criteria for commissioned services that include a range of "
                    "quality factors that will form the basis of any assessment and appraisal "
                    "process.\n\n"
                    "To ensure that the procurement process is fair, transparent and inclusive "
                    "the council will publish all relevant information and will publicise "
                    "tendering or bidding opportunities as widely as possible. Impartial advice "
                    "and guidance will be provided and workshops will be arranged and available "
                    "to all applicants to provide opportunities to gain further details on "
                    "procurement arrangements, quality standards and timescales."
                ),
            },
            {
                "slug": "service-delivery",
                "name": "Service delivery",
                "description": (
                    "Service delivery arrangements will be based on clear contractual "
                    "arrangements that express what investment is for, the outcomes expected, "
                    "communications arrangements and the information that will be needed to "
                    "inform progress and achievements. The council will seek to create an honest "
                    "and open dialogue, which is supportive of service deliverers but that "
                    "provides scope and flexibility to adapt and develop services to meet "
                    "changing needs, whilst maintaining quality."
                ),
            },
        ],
    },
    {
        "slug": "review",
        "name": "Review",
        "summary": (
            "Monitor performance with delivery partners and evaluate outcomes and value, to "
            "inform the next cycle."
        ),
        "steps": [
            {
                "slug": "performance-monitoring",
                "name": "Performance monitoring",
                "description": (
                    "Performance monitoring will be based on working closely and constructively "
                    "with delivery partners. The council wishes to maintain strong ongoing "
                    "communications to help to ensure that services achieve the best possible "
                    "outcomes but also so that there is a constructive approach to managing "
                    "important changes, risks and to capturing good practice.\n\n"
                    "Whilst appropriate quality standards for delivery and for financial "
                    "management remain, the emphasis of performance monitoring arrangements will "
                    "be on Outcomes and Value."
                ),
            },
            {
                "slug": "evaluation",
                "name": "Evaluation",
                "description": (
                    "Ongoing monitoring and evaluation of progress and outcomes will be used not "
                    "only to assess the impact of current investment but also to inform "
                    "development of future service delivery. It will capture the overall "
                    "impact, the current position of delivery partners, current and emerging "
                    "needs in the sector or district and also what has been learned.\n\n"
                    "The council will be working with partners to capture and review lessons "
                    "from previous delivery to drive continuous improvement. The intelligence "
                    "gathered through such evaluation will be invaluable in terms of designing "
                    "future, high impact, services that are efficient, effective and economic "
                    "that also add value to other existing provision."
                ),
            },
        ],
    },
]

GLOSSARY: list[dict[str, Any]] = [
    {
        "slug": "commissioning",
        "term": "Commissioning",
        "definition": (
            "The process for deciding how to use the resource available for improving "
            "individual, community and economic outcomes, in the most efficient, effective, "
            "equitable and sustainable way."
        ),
    },
    {
        "slug": "commissioning-cycle",
        "term": "Commissioning Cycle",
        "definition": (
            "Often shown as a diagram, this is the ongoing nature of commissioning, beyond a "
            "standard procurement exercise. In the context of Lancaster City Council this means "
            "the stages of Understand, Plan, Do and Review, which run in a recurring fashion."
        ),
    },
    {
        "slug": "commissioning-framework",
        "term": "Commissioning Framework",
        "definition": (
            "The key background document outlining the approach that is being taken for a "
            "particular commissioning area, which includes the purpose for such commissioning, "
            "the principles being followed for such a process, core criteria for commissioned "
            "services and the commissioning cycle."
        ),
    },
    {
        "slug": "commissioning-plan",
        "term": "Commissioning Plan",
        "definition": (
            "A document, associated with the Commissioning Framework, that provides much more "
            "detailed details of which services the council wishes to commission, the levels of "
            "investment to be provided, outcomes to be achieved and procurement, contractual and "
            "performance management arrangements."
        ),
    },
    {
        "slug": "engagement",
        "term": "Engagement",
        "definition": (
            "Commissioning is an arrangement that requires close communication with service "
            "deliverers and an understanding of needs. Engagement can be undertaken in various "
            "ways but primarily the council seeks to meet face to face in workshop style "
            "settings. These events are helpful but are part of a wider approach that includes "
            "ongoing communications with a range of sector groups and individuals on a regular "
            "basis."
        ),
    },
    {
        "slug": "outcomes",
        "term": "Outcomes",
        "definition": (
            "Outcomes are end results. They can describe states of well being or they can refer "
            'to results achieved by a service or intervention over time. For example, "a '
            'cleaner, greener environment" is an outcome achieved over time as a result of a '
            "range of activities such as street cleaning, environmental improvements, "
            "maintenance of parks and open spaces."
        ),
    },
    {
        "slug": "procurement",
        "term": "Procurement",
        "definition": "The process of acquiring goods, works and services from suppliers.",
    },
    {
        "slug": "success-measure",
        "term": "Success Measure",
        "definition": (
            "Success measures are often referred to as outputs or targets and can often be "
            "reported as performance indicators. They are specific and quantifiable "
            "measurements that quantify achievement of, or progress towards, delivery of the "
            "outcomes. They could include, for example, 2 hectares of public open land improved, "
            "25 premises refurbished or 40 training sessions provided."
        ),
    },
    {
        "slug": "vcfs",
        "term": "VCFS",
        "definition": "Acronym used for the 'Voluntary, Community and Faith Sector'.",
    },
]

# The framework-scoped lists, as (model name, data) in the order they are loaded.
_FRAMEWORK_ITEMS = [
    ("CorporatePriority", CORPORATE_PRIORITIES),
    ("CrossCuttingTheme", CROSS_CUTTING_THEMES),
    ("CommissioningPrinciple", COMMISSIONING_PRINCIPLES),
    ("CoreCriterion", CORE_CRITERIA),
]


def _known_fields(model, values: dict[str, Any]) -> dict[str, Any]:
    """Only the values the (possibly historical) model has fields for.

    A migration runs with the models as they were when it was written; data added here for
    a field that a later migration creates must not break the earlier one.
    """
    names = {field.name for field in model._meta.get_fields()}
    return {key: value for key, value in values.items() if key in names}


def load(apps) -> dict[str, int]:
    """Create or update the framework and its reference data, matched by slug.

    Idempotent: running it again changes nothing and adds no rows. It does write the
    document's values over any edits made in the admin, so it is for loading, not for
    routine use. `apps` is the migration's historical registry or `django.apps.apps`.
    Returns how many rows of each model the framework now has.
    """

    def model(name: str):
        return apps.get_model("commissioning", name)

    Framework = model("Framework")
    framework_values = dict(FRAMEWORK)
    slug = framework_values.pop("slug")
    framework, _ = Framework.objects.update_or_create(
        slug=slug, defaults=_known_fields(Framework, framework_values)
    )

    Sector = model("Sector")
    for order, values in enumerate(SECTORS, start=1):
        values = {**values, "order": order}
        Sector.objects.update_or_create(
            slug=values.pop("slug"), defaults=_known_fields(Sector, values)
        )

    for model_name, items in _FRAMEWORK_ITEMS:
        Item = model(model_name)
        for order, values in enumerate(items, start=1):
            values = {**values, "order": order}
            Item.objects.update_or_create(
                framework=framework,
                slug=values.pop("slug"),
                defaults=_known_fields(Item, values),
            )

    CycleStage = model("CycleStage")
    CycleStep = model("CycleStep")
    for order, values in enumerate(CYCLE_STAGES, start=1):
        values = {**values, "order": order}
        steps = values.pop("steps")
        stage, _ = CycleStage.objects.update_or_create(
            framework=framework,
            slug=values.pop("slug"),
            defaults=_known_fields(CycleStage, values),
        )
        for step_order, step in enumerate(steps, start=1):
            step = {**step, "order": step_order}
            CycleStep.objects.update_or_create(
                stage=stage, slug=step.pop("slug"), defaults=_known_fields(CycleStep, step)
            )

    GlossaryTerm = model("GlossaryTerm")
    for values in GLOSSARY:
        values = dict(values)
        GlossaryTerm.objects.update_or_create(
            framework=framework,
            slug=values.pop("slug"),
            defaults=_known_fields(GlossaryTerm, values),
        )

    counts = {
        name: model(name).objects.filter(framework=framework).count()
        for name, _ in _FRAMEWORK_ITEMS
    }
    counts["Sector"] = Sector.objects.count()
    counts["CycleStage"] = CycleStage.objects.filter(framework=framework).count()
    counts["CycleStep"] = CycleStep.objects.filter(stage__framework=framework).count()
    counts["GlossaryTerm"] = GlossaryTerm.objects.filter(framework=framework).count()
    return counts
