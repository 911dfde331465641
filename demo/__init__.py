"""The demo data set behind `make run`: a believable Lancaster district.

One module per stage of the cycle, each idempotent and built through the apps' services so
the demo obeys the same rules as the pages. This app imports the others; none imports it.
`demo.seed.demo_seed` runs every stage in order.
"""
